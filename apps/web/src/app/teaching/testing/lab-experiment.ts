import { readableText } from '../../../testing/readable-text';

/** Presses the `Reproduce <id>` button of a lab page; throws when the page has none. */
export function reproduce(root: HTMLElement, id: string): void {
  const found = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === `Reproduce ${id}`);
  if (!found) throw new Error(`no button for ${id}`);
  found.click();
}

/** The text of experiment `id`'s card as a reader hears it (the whole page when there is no such card). */
export function cardText(root: HTMLElement, id: string): string {
  return readableText(root.querySelector(`[aria-labelledby="exp-${id}"]`) ?? root);
}
