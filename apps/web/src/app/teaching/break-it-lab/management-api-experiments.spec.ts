import {
  auth0ErrorOf,
  droppedScopes,
  managementApiExperimentsFor,
  managementApiUserUrl,
  meetsExpectation,
  scopeFinding,
} from './management-api-experiments';

const ISSUER = 'http://localhost:4000/';

describe('managementApiExperimentsFor', () => {
  const experiments = managementApiExperimentsFor(ISSUER);
  const byId = (id: string) => experiments.find((experiment) => experiment.id === id);

  it("follows the thread's four steps, each with its own id", () => {
    expect(experiments.map((experiment) => experiment.id)).toEqual([
      'management_id_token',
      'management_opaque_token',
      'management_insufficient_scope',
      'management_update_users',
    ]);
  });

  it('sends the ID token to PATCH and expects Auth0\'s 401 "Invalid token"', () => {
    expect(byId('management_id_token')).toMatchObject({
      token: { kind: 'id_token' },
      method: 'PATCH',
      expected: { status: 401, message: 'Invalid token' },
    });
  });

  it('asks for a token without an audience and expects the 400 for a header that holds no JWT', () => {
    expect(byId('management_opaque_token')).toMatchObject({
      token: { kind: 'access_token', audience: '' },
      method: 'PATCH',
      expected: { status: 400, message: 'Bad HTTP authentication header format' },
    });
  });

  it('asks the Management API audience for read:current_user only and expects 403 insufficient_scope on PATCH', () => {
    expect(byId('management_insufficient_scope')).toMatchObject({
      token: {
        kind: 'access_token',
        audience: 'http://localhost:4000/api/v2/',
        scope: 'openid read:current_user',
      },
      method: 'PATCH',
      expected: { status: 403, errorCode: 'insufficient_scope' },
    });
  });

  it('asks for update:users, expects it left out, and points to the backend with client credentials', () => {
    const experiment = byId('management_update_users');
    expect(experiment?.token).toEqual({
      kind: 'access_token',
      audience: 'http://localhost:4000/api/v2/',
      scope: 'openid read:current_user update:current_user_metadata update:users',
    });
    expect(experiment?.expected).toEqual({ status: 200, droppedScope: 'update:users' });
    expect(experiment?.lesson).toContain('only current_user scopes');
    expect(experiment?.lesson).toContain('PATCH /api/me/profile');
  });

  it("derives the audience from an Auth0 tenant's issuer", () => {
    const [, , insufficient] = managementApiExperimentsFor('https://tenant.eu.auth0.com/');
    expect(insufficient?.token).toMatchObject({ audience: 'https://tenant.eu.auth0.com/api/v2/' });
  });
});

describe('managementApiUserUrl', () => {
  it("URL-encodes the user id (the token's sub)", () => {
    expect(managementApiUserUrl(ISSUER, 'auth0|demo-reader')).toBe(
      'http://localhost:4000/api/v2/users/auth0%7Cdemo-reader',
    );
  });
});

describe('scopeFinding and droppedScopes', () => {
  it('names what was asked for, what was granted and what was left out', () => {
    expect(
      scopeFinding('openid read:current_user update:users', 'openid profile email read:current_user'),
    ).toBe(
      'Asked for scope "openid read:current_user update:users"; the token\'s scope is "openid profile email read:current_user": update:users left out, without an error.',
    );
  });

  it('says nothing was left out when everything was granted', () => {
    expect(scopeFinding('openid read:current_user', 'openid read:current_user')).toBe(
      'Asked for scope "openid read:current_user"; the token\'s scope is "openid read:current_user".',
    );
  });

  it('counts every asked-for API scope as left out of a token without scope', () => {
    expect(droppedScopes('openid read:current_user', undefined)).toEqual(['read:current_user']);
  });
});

describe('auth0ErrorOf', () => {
  it("reads Auth0's error fields", () => {
    expect(
      auth0ErrorOf({
        statusCode: 403,
        error: 'Forbidden',
        message: 'Insufficient scope, expected any of: update:users,update:current_user_metadata',
        errorCode: 'insufficient_scope',
      }),
    ).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: update:users,update:current_user_metadata',
      errorCode: 'insufficient_scope',
    });
  });

  it('finds none in a user record or a text body', () => {
    expect(auth0ErrorOf({ user_id: 'auth0|demo-reader', user_metadata: {} })).toBeNull();
    expect(auth0ErrorOf('Unauthorized')).toBeNull();
  });
});

describe('meetsExpectation', () => {
  const invalidToken = { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' };

  it('matches status and message', () => {
    expect(meetsExpectation({ status: 401, message: 'Invalid token' }, 401, invalidToken, undefined)).toBe(
      true,
    );
    expect(
      meetsExpectation(
        { status: 401, message: 'Invalid token' },
        401,
        { message: 'Expired token' },
        undefined,
      ),
    ).toBe(false);
    expect(meetsExpectation({ status: 401, message: 'Invalid token' }, 400, invalidToken, undefined)).toBe(
      false,
    );
  });

  it('matches the errorCode when the experiment names one', () => {
    const expected = { status: 403, errorCode: 'insufficient_scope' };
    expect(meetsExpectation(expected, 403, { statusCode: 403, errorCode: 'insufficient_scope' }, '')).toBe(
      true,
    );
    expect(meetsExpectation(expected, 403, { statusCode: 403, message: 'Forbidden' }, '')).toBe(false);
  });

  it('requires the scope to be absent from the token for the update:users case', () => {
    const expected = { status: 200, droppedScope: 'update:users' };
    expect(meetsExpectation(expected, 200, {}, 'openid read:current_user')).toBe(true);
    expect(meetsExpectation(expected, 200, {}, 'openid read:current_user update:users')).toBe(false);
  });
});
