/**
 * The monthly export's workbook as a download (the export code's slice and workbook, data.ts):
 *   GET /api/branches/:id/export?period=   the branch's workbook (plantkpi-<branch>-<period>.xlsx), as its export set
 *                                          holds it; whoever may open the branch
 *   GET /api/export?period=                the site's workbook; the energy manager only
 * Made afresh from the store and the records at each request, so a closure made a minute ago is in it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { managerOnly, readScope } from '../access.ts';
import type { Auth } from '../auth.ts';
import type { PortalContext } from '../context.ts';
import { apiRoute } from '../openapi.ts';
import { IdParams, PeriodQuery } from '../schemas.ts';
import { check } from './branches.ts';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function download(reply: FastifyReply, file: string, body: Buffer) {
  const ascii = file.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply
    .type(XLSX)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file)}`,
    )
    .send(body);
}

export function registerExports(app: FastifyInstance, ctx: PortalContext, auth: Auth): void {
  apiRoute(
    app,
    {
      method: 'GET',
      url: '/api/branches/:id/export',
      summary: '党支部月度导出 the branch’s monthly workbook (xlsx)',
      params: IdParams,
      query: PeriodQuery,
      response: { download: XLSX },
      errors: [400, 401, 403, 404],
      signedIn: true,
    },
    { onRequest: [auth.requireUser] },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const { period } = req.query as { period: string };
      check(readScope(req.user!, ctx.plant, 'branch', id));
      const branch = ctx.plant.branches.find((b) => b.id === id)!;
      return download(reply, `plantkpi-${id}-${period}.xlsx`, await ctx.data.exportWorkbook(period, branch));
    },
  );

  apiRoute(
    app,
    {
      method: 'GET',
      url: '/api/export',
      summary: '全厂月度导出 the site’s monthly workbook (xlsx); energy manager only',
      query: PeriodQuery,
      response: { download: XLSX },
      errors: [400, 401, 403],
      signedIn: true,
    },
    { onRequest: [auth.requireUser] },
    async (req, reply) => {
      const { period } = req.query as { period: string };
      check(managerOnly(req.user!, '全厂导出 the site export'));
      const site = ctx.plant.site.id;
      return download(reply, `plantkpi-${site}-${period}.xlsx`, await ctx.data.exportWorkbook(period, null));
    },
  );
}
