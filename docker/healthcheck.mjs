// HEALTHCHECK for the node images (they ship no curl): exit 0 when the URL answers 2xx within 2.5 s.
const url = process.argv[2];
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2500) });
  if (!response.ok) console.error(`${url}: HTTP ${response.status} ${await response.text()}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
