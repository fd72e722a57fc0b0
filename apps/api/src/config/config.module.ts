import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { API_SETTINGS, parseApiSettings, type ApiSettings } from './api-settings';

/**
 * Validates the environment at start-up with the shared contract (a bad variable stops the app) and
 * provides the typed ApiSettings as API_SETTINGS everywhere.
 */
@Global()
@Module({})
export class ApiConfigModule {
  /**
   * @param env Variables to read instead of process.env (tests). Nx loads apps/api/.env.serve for `nx serve`,
   *   so no .env file is read here.
   */
  static forRoot(env?: Record<string, string | undefined>): DynamicModule {
    return {
      module: ApiConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          // Returns an object member only, so @nestjs/config writes nothing back into process.env.
          validate: (processEnv) => ({ api: parseApiSettings(env ?? processEnv).config }),
        }),
      ],
      providers: [
        {
          provide: API_SETTINGS,
          inject: [ConfigService],
          useFactory: (config: ConfigService<{ api: ApiSettings }, true>) =>
            config.get('api', { infer: true }),
        },
      ],
      exports: [API_SETTINGS],
    };
  }
}
