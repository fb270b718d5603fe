import { Hono } from 'hono';
import type { AppDeps } from '../context.ts';
import type { OAuthConfig } from './config.ts';
import { oauthMetadataRoutes } from './metadata.ts';
import { tokenRoutes } from './token.ts';

/** Discovery documents, and the token endpoint when CareBridge is its own authorization server. */
export function oauthRoutes(deps: AppDeps, config: OAuthConfig) {
  const app = new Hono();
  app.route('/', oauthMetadataRoutes(config));
  if (!config.settings.external) app.route('/', tokenRoutes(deps, config));
  return app;
}
