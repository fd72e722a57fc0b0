import type { Tenant, TenantApi, TenantClient, TenantM2mClient, TenantSpaClient } from './tenant';

/** Lookups of the tenant's APIs and clients by id. */
export class TenantDirectory {
  private readonly apis: ReadonlyMap<string, TenantApi>;
  private readonly clients: ReadonlyMap<string, TenantClient>;

  constructor(readonly tenant: Tenant) {
    this.apis = new Map(tenant.apis.map((api) => [api.identifier, api]));
    this.clients = new Map(tenant.clients.map((client) => [client.clientId, client]));
  }

  /** The API with this identifier (the `audience`), if defined. */
  api(identifier: string): TenantApi | undefined {
    return this.apis.get(identifier);
  }

  client(clientId: string): TenantClient | undefined {
    return this.clients.get(clientId);
  }

  spaClient(clientId: string): TenantSpaClient | undefined {
    const client = this.clients.get(clientId);
    return client?.type === 'spa' ? client : undefined;
  }

  m2mClient(clientId: string): TenantM2mClient | undefined {
    const client = this.clients.get(clientId);
    return client?.type === 'm2m' ? client : undefined;
  }
}
