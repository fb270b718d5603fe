import { Hono } from 'hono';
import { isServedModule, type ServedModule } from '../../tools/registry.ts';
import { problem } from '../problem.ts';
import { baseUrl, issuerOf, mcpResource, type OAuthConfig, scopesSupported } from './config.ts';

/**
 * Discovery documents. RFC 9728 Protected Resource Metadata tells an MCP client which
 * authorization server issues tokens for /mcp (MCP Authorization, revision 2025-06-18 §2.3);
 * RFC 8414 metadata describes the built-in authorization server when no external one is set.
 */
export function oauthMetadataRoutes(config: OAuthConfig) {
  const { settings } = config;
  const app = new Hono();

  const protectedResource = (base: string, module?: ServedModule) => ({
    resource: mcpResource(base, module),
    authorization_servers: [issuerOf(base, settings)],
    scopes_supported: scopesSupported(module),
    bearer_methods_supported: ['header'],
    resource_name: module ? `CareBridge ${module} MCP server` : 'CareBridge MCP servers',
  });

  // The server-wide document (and its path-suffixed twin) describes /mcp, the audience valid on every module.
  for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
    app.get(path, (c) => c.json(protectedResource(baseUrl(c, settings))));
  }
  app.get('/.well-known/oauth-protected-resource/mcp/:module', (c) => {
    const module = c.req.param('module');
    if (!isServedModule(module)) return problem(c, 'not_found', `No MCP server for module ${module}`);
    return c.json(protectedResource(baseUrl(c, settings), module));
  });

  if (!settings.external) {
    app.get('/.well-known/oauth-authorization-server', (c) => {
      const base = baseUrl(c, settings);
      return c.json({
        issuer: issuerOf(base, settings),
        // RFC 8414 lets a client-credentials-only server omit this, but MCP clients (the SDK's
        // metadata schema among them) require it; it answers unsupported_response_type.
        authorization_endpoint: `${base}/oauth/authorize`,
        token_endpoint: `${base}/oauth/token`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        scopes_supported: scopesSupported(),
        response_types_supported: [],
      });
    });
  }
  return app;
}
