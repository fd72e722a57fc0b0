import { SetMetadata } from '@nestjs/common';

/** Metadata key set by Public(). */
export const IS_PUBLIC_KEY = 'isPublic';

/**
 * Opens a route (or a whole controller) to anonymous requests: every other route needs a valid access token.
 * @example @Public() @Get('public') getPublicMessage() { ... }
 */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
