/** The portal's pages: pure render functions (data in, an HTML document out) and the builders of their inputs. */
export { areaPage, TREND_KPIS, type TrendData, trendData } from './area.ts';
export { branchPage, KEY_KPIS, mayActOn } from './branch.ts';
export { branchesPage, mayAward } from './branches.ts';
export { areaPageData, branchesPageData, branchPageData, dailyRows, pageNames } from './data.ts';
export { ERROR_TITLES, errorPage } from './error.ts';
export { Html, html, raw } from './html.ts';
export { SITE_NAME } from './layout.ts';
export { loginPage } from './login.ts';
export type * from './types.ts';
export { ROLE_LABELS } from './types.ts';
