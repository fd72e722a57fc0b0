import type { HttpTestingController, TestRequest } from '@angular/common/http/testing';

/**
 * Waits until a request to `url` reaches the testing backend: the token it carries comes asynchronously (the SDK,
 * an interceptor), so the request is sent a few turns after the click. Throws after 20 macrotask turns.
 */
export async function sentRequest(controller: HttpTestingController, url: string): Promise<TestRequest> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise((resolve) => setTimeout(resolve));
    const [found] = controller.match(url);
    if (found) return found;
  }
  throw new Error(`no request to ${url}`);
}
