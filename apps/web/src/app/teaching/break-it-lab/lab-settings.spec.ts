import { ConfigError } from '@sample/contract';
import { TEST_CONFIG_JSON } from '../../../testing/fake-auth0-client';
import { parseLabSettings } from './lab-settings';

describe('parseLabSettings', () => {
  it('keeps the lab off when config.json does not mention it', () => {
    expect(parseLabSettings(TEST_CONFIG_JSON)).toEqual({ breakItLab: false });
  });

  it('turns it on with "breakItLab": true and keeps the lab audiences', () => {
    expect(
      parseLabSettings({
        ...TEST_CONFIG_JSON,
        breakItLab: true,
        labOtherAudience: 'https://other-api.sample.local',
        labShortLivedAudience: ' https://short-lived-api.sample.local ',
        labRbacOffAudience: 'https://rbac-off-api.sample.local',
      }),
    ).toEqual({
      breakItLab: true,
      labOtherAudience: 'https://other-api.sample.local',
      labShortLivedAudience: 'https://short-lived-api.sample.local',
      labRbacOffAudience: 'https://rbac-off-api.sample.local',
    });
  });

  it('names every bad lab key with the value it got', () => {
    let error: unknown;
    try {
      parseLabSettings({
        ...TEST_CONFIG_JSON,
        breakItLab: 'yes',
        labOtherAudience: 7,
        labShortLivedAudience: ' ',
        labRbacOffAudience: false,
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error instanceof ConfigError && error.issues).toEqual([
      { key: 'breakItLab', message: 'breakItLab must be true or false (got "yes")' },
      {
        key: 'labOtherAudience',
        message: 'labOtherAudience must be an API identifier like "https://other-api.sample.local" (got 7)',
      },
      {
        key: 'labShortLivedAudience',
        message:
          'labShortLivedAudience must be an API identifier like "https://short-lived-api.sample.local" (got "")',
      },
      {
        key: 'labRbacOffAudience',
        message:
          'labRbacOffAudience must be an API identifier like "https://rbac-off-api.sample.local" (got false)',
      },
    ]);
  });
});
