// A real OpenID Connect provider for Hazri's sign-on tests (oidc-provider 8.x).
// Usage: node provider.mjs CONFIG.json  — the JSON holds:
//   port      the port on 127.0.0.1 (the issuer is http://127.0.0.1:<port>)
//   clients   oidc-provider client metadata (token_endpoint_auth_method, jwks, ...)
//   accounts  {login: {password, claims: {...}}}: the sub is the login
//   jwks      the provider's signing keys (private JWKs)
// Its log-in page is a plain HTML form (login, password) that a test can post with
// an HTTP client or fill in a browser; consent is granted at once (a first-party RP).
import { readFileSync } from 'node:fs';
import { parse } from 'node:querystring';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = config.accounts || {};

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: config.jwks,
  cookies: { keys: ['hazri-test-cookie-key'] },
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name'],
    phone: ['phone_number', 'phone_number_verified'],
    email: ['email', 'email_verified'],
    state_id: ['state_id'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { ...account.claims, sub: id }; } };
  },
  // A first-party relying party: what it asks for is granted without a consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

const page = (uid, error) => `<!doctype html><html><head><title>Test provider</title></head><body>
<h1>Sign in to the test provider</h1>${error ? `<p class="error">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label>Login <input type="text" name="login" required></label>
<label>Password <input type="password" name="password" required></label>
<button type="submit">Sign in</button></form></body></html>`;

async function body(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return parse(raw);
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = page(details.uid, '');
    return undefined;
  }
  const form = await body(ctx.req);
  const account = accounts[form.login];
  if (!account || account.password !== form.password) {
    ctx.type = 'html';
    ctx.status = 401;
    ctx.body = page(details.uid, 'Wrong login or password');
    return undefined;
  }
  return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: form.login } },
    { mergeWithLastSubmission: false });
});

provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
