/** A clock a test moves by hand (AppModule's `clock`), so cooldowns and max ages pass without sleeping. */
export class ManualClock {
  private nowMs = Date.now();

  /** The clock function to inject. */
  readonly now = (): number => this.nowMs;

  advance(ms: number): void {
    this.nowMs += ms;
  }
}
