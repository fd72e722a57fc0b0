import { Module } from '@nestjs/common';
import { MANAGEMENT_FETCH, ManagementApiService } from './management-api.service';
import { ProfileController } from './profile.controller';

/** GET and PATCH /api/me/profile, through the Auth0 Management API with this API's client credentials. */
@Module({
  controllers: [ProfileController],
  providers: [ManagementApiService, { provide: MANAGEMENT_FETCH, useValue: fetch }],
})
export class ProfileModule {}
