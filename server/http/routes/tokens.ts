import { Hono } from 'hono';
import { z } from 'zod';
import { describeIdentity, type AuthService } from '../../auth/index.js';
import { readBody } from '../body.js';
import { parseJson } from '../params.js';
import { validateBody } from '../schemas.js';

const createTokenBody = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(z.string().max(16)).min(1).max(3),
});

/** /api/v1/tokens: list, create (the token text is in this one answer only), revoke. Admin only (route-access.ts). */
export function tokenRoutes(auth: AuthService): Hono {
  const app = new Hono();

  app.get('/', (c) => c.json({ tokens: auth.tokens.list() }));

  app.post('/', async (c) => {
    const body = validateBody(createTokenBody, parseJson(await readBody(c, 16 * 1024)));
    const { token, info } = auth.tokens.create({ ...body, createdBy: describeIdentity(c.get('identity')) });
    c.header('cache-control', 'no-store');
    return c.json({ ...info, token }, 201);
  });

  app.delete('/:id', (c) => c.json(auth.revokeToken(c.req.param('id'))));

  return app;
}
