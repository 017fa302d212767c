// The generated wire types must be what openapi-typescript makes of the checked-in server document: a document
// refreshed from the server (the server test's MARKETPULSE_UPDATE_OPENAPI=1) without `npm run gen:api`, or a hand edit
// of schema.ts, fails here; `npm run build` then type-checks every page against the regenerated types.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generate, OUTPUT } from '../../scripts/gen-api.mjs';

describe('generated wire types', () => {
  it('src/api/schema.ts is openapi-typescript’s output for openapi/v1.json (run npm run gen:api)', async () => {
    const expected = await generate();
    const actual = await readFile(OUTPUT, 'utf8');
    expect(actual === expected, 'src/api/schema.ts is stale or edited by hand: run `npm run gen:api` in src/MarketPulse.Web').toBe(true);
  });
});
