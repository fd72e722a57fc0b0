import type { ComponentFixture } from '@angular/core/testing';

/** Lets the awaited response reach the component (a macrotask), then its change detection run. */
export async function settled<T>(fixture: ComponentFixture<T>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
}
