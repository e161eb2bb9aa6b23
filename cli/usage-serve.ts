/** `plantkpi serve`'s entry in the command list (cli/usage.ts), kept apart because usage.ts is long enough. */
import type { CommandSpec } from './usage.ts';

export const SERVE_COMMAND: CommandSpec = {
  name: 'serve',
  usage: '--config FILE [--data DIR] [--port 8080] [--host 127.0.0.1] [--secure] [--trust-proxy]',
  zh: '党支部门户：JSON 接口（登录、积分卡、责任区、导出、销号），供浏览器使用',
  en: 'the branch portal: its JSON API (sign-in, scorecards, areas, exports, closures) for the browser',
  notes: [
    '读取与 scorecard、kpi、export 命令相同的存储与记录库；内置记录库与作业轮流使用',
    'Reads the same store and records as the scorecard, kpi and export commands; the embedded records folder is shared with the jobs in turns',
    '接口说明：GET /api/openapi.json；Ctrl-C（SIGINT）或 SIGTERM 关闭存储后退出',
    'The API is described at GET /api/openapi.json; SIGINT (Ctrl-C) or SIGTERM closes the stores and exits',
  ],
  options: {
    config: { arg: 'FILE', zh: '工厂配置文件', en: 'the plant config' },
    data: {
      arg: 'DIR',
      zh: '数据目录（默认 ./data）：存储、记录库与证明文件 evidence/',
      en: 'the data directory (default ./data): store, records and evidence files',
    },
    port: { arg: 'N', zh: '端口（默认 8080）', en: 'the port (default 8080)' },
    host: {
      arg: 'ADDR',
      zh: '监听地址（默认 127.0.0.1；0.0.0.0 对外）',
      en: 'the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)',
    },
    secure: {
      zh: '经 HTTPS 提供（反向代理之后）：Cookie 加 Secure，发送 HSTS',
      en: 'served over HTTPS (behind a reverse proxy): Secure cookies and HSTS',
    },
    'trust-proxy': {
      zh: '在反向代理之后：按 X-Forwarded-For 识别客户端 IP（登录限流）；只在代理设置该头时使用',
      en: "behind a reverse proxy: the client's IP from X-Forwarded-For (sign-in limits); only when the proxy sets it",
    },
  },
};
