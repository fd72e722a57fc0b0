import {
  Global,
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { ParsedConfig } from '@sample/contract';
import { API_SETTINGS, parseApiSettings, type ApiSettings } from './api-settings';

/** Milliseconds since the epoch, as `Date.now()`: JWKS timing and readiness read it, so tests can move time. */
export type Clock = () => number;

/** DI token of the Clock. */
export const CLOCK = Symbol('api.clock');

const PARSED = Symbol('api.parsed-settings');

type Parsed = ParsedConfig<ApiSettings>;

/**
 * Parses the environment once, as ConfigModule's `validate` (a bad variable stops start-up with a ConfigError),
 * provides the typed ApiSettings as API_SETTINGS and the Clock everywhere, and logs the config warnings at start-up.
 */
@Global()
@Module({})
export class ApiConfigModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Config');

  constructor(@Inject(PARSED) private readonly parsed: Parsed) {}

  /**
   * @param env Variables to read instead of process.env (tests). Nx loads apps/api/.env.serve for `nx serve`,
   *   so no .env file is read here.
   * @param clock Where time comes from (tests); Date.now by default.
   */
  static forRoot(env?: Record<string, string | undefined>, clock: Clock = Date.now): DynamicModule {
    return {
      module: ApiConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          // Returns an object member only, so @nestjs/config writes nothing back into process.env.
          validate: (processEnv): { api: Parsed } => ({ api: parseApiSettings(env ?? processEnv) }),
        }),
      ],
      providers: [
        {
          provide: PARSED,
          inject: [ConfigService],
          useFactory: (config: ConfigService<{ api: Parsed }, true>) => config.get('api', { infer: true }),
        },
        { provide: API_SETTINGS, inject: [PARSED], useFactory: (parsed: Parsed) => parsed.config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [API_SETTINGS, CLOCK],
    };
  }

  onApplicationBootstrap(): void {
    for (const warning of this.parsed.warnings) this.logger.warn(`config warning: ${warning.message}`);
  }
}
