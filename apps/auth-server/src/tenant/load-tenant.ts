import { readFile } from 'node:fs/promises';
import { ConfigError, type ParsedConfig } from '@sample/contract';
import { parseTenant, type Tenant } from './tenant';

/**
 * Reads and validates the tenant file.
 * @throws ConfigError when the file is missing, is not JSON, or does not match the schema (every problem at once).
 */
export async function loadTenant(file: string): Promise<ParsedConfig<Tenant>> {
  const source = `Tenant file ${file}`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'the file does not exist'
        : (error as Error).message;
    throw new ConfigError(source, [
      {
        key: 'AUTH_SERVER_TENANT_FILE',
        message: `cannot read it: ${reason} (set AUTH_SERVER_TENANT_FILE to a tenant file)`,
      },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [
      { key: '(file)', message: `it is not valid JSON: ${(error as Error).message}` },
    ]);
  }
  return parseTenant(json, source);
}
