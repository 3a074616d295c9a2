/** /api/v1/units and /api/v1/tokens: thin routes over use-cases/units and read-directive. */
import { Router } from 'express';
import type { Db } from '../../read-model/db';
import { principalOf } from '../auth';
import { pageSchema, tokenParams, tokenRequestSchema, unitParams, unitsUpsertSchema } from '../schemas';
import { deleteToken, issueToken, putUnits, readUnit } from '../use-cases/units';
import { unitInbox } from '../use-cases/read-directive';
import { parse } from './validate';

export function unitRoutes(db: Db): Router {
  const r = Router();
  r.put('/units', async (req, res) => {
    res.json(await putUnits(db, principalOf(res), parse(unitsUpsertSchema, req.body)));
  });
  r.get('/units/:code', async (req, res) => {
    const { code } = parse(unitParams, req.params);
    res.json(await readUnit(db, principalOf(res), code));
  });
  r.get('/units/:code/inbox', async (req, res) => {
    const { code } = parse(unitParams, req.params);
    res.json(await unitInbox(db, principalOf(res), code, parse(pageSchema, req.query)));
  });
  r.post('/units/:code/tokens', async (req, res) => {
    const { code } = parse(unitParams, req.params);
    const { label } = parse(tokenRequestSchema, req.body);
    res.status(201).json(await issueToken(db, principalOf(res), code, label));
  });
  r.delete('/tokens/:id', async (req, res) => {
    const { id } = parse(tokenParams, req.params);
    await deleteToken(db, principalOf(res), id);
    res.status(204).end();
  });
  return r;
}
