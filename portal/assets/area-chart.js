// The area page's daily trends: reads the JSON block #trend-data (data, not script; the page has no inline script,
// the CSP is script-src 'self') and draws one uPlot chart per KPI into its .chart-box. Plain browser JS, no build.
(() => {
  const COLOURS = { 'energy.total': '#b3261e', 'emissions.co2': '#5b5f66', 'intensity.energy': '#1f6fb2' };

  function draw() {
    const block = document.getElementById('trend-data');
    if (!block || typeof uPlot === 'undefined') return;
    const trend = JSON.parse(block.textContent);
    const charts = [];
    for (const s of trend.series) {
      const box = document.querySelector(`.chart-box[data-kpi="${CSS.escape(s.kpi)}"]`);
      if (!box) continue;
      const fmt = (v) =>
        v == null
          ? '-'
          : v.toLocaleString('en-US', {
              minimumFractionDigits: s.decimals,
              maximumFractionDigits: s.decimals,
            });
      const opts = {
        width: box.clientWidth || 320,
        height: 220,
        // the x values are each day's date at 00:00 UTC: shown in UTC they read as the site's days
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true } },
        series: [
          {
            label: '日期 Day',
            value: (_u, v) => (v == null ? '-' : new Date(v * 1000).toISOString().slice(0, 10)),
          },
          {
            label: `${s.label} (${s.unit})`,
            stroke: COLOURS[s.kpi] || '#1f6fb2',
            width: 2,
            points: { show: true, size: 5 },
            value: (_u, v) => fmt(v),
          },
        ],
        axes: [{}, { size: 64, values: (_u, ticks) => ticks.map(fmt) }],
      };
      charts.push({ box, chart: new uPlot(opts, [trend.x, s.values], box) });
    }
    let pending = 0;
    window.addEventListener('resize', () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        for (const c of charts) c.chart.setSize({ width: c.box.clientWidth || 320, height: 220 });
      });
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
