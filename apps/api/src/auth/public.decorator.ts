import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

/** Metadata key set by Public(). */
export const IS_PUBLIC_KEY = 'isPublic';

/**
 * Opens a route (or a whole controller) to anonymous requests, and says so in OpenAPI (`x-public: true`, no
 * security requirement). Every other route needs a valid access token (JwtAuthGuard is global).
 * @example @Public() @Get('public') getPublicMessage() { ... }
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension('x-public', true));
