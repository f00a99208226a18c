/**
 * @module The console's one stylesheet: a neutral admin-console look (sidebar, page header,
 * cards, tables, badges, forms, dialogs), light and dark, with a visible focus ring on every
 * control. Served from /console/assets, so the Content-Security-Policy needs no inline style.
 */
export const STYLE = `
:root {
  --bg: #f6f7f9; --surface: #fff; --surface-2: #f1f3f6; --border: #dde1e7; --text: #1b2330;
  --muted: #5b6676; --accent: #2456d3; --accent-text: #fff; --accent-soft: #e7eefc;
  --ok: #157347; --ok-soft: #e3f4ea; --warn: #8a5a00; --warn-soft: #fff3d6; --bad: #b42318;
  --bad-soft: #fde8e6; --focus: #1d4ed8; --radius: 8px; --shadow: 0 1px 2px rgba(16,24,40,.06);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1419; --surface: #161c24; --surface-2: #1d2530; --border: #2c3642; --text: #e6eaf0;
    --muted: #9aa5b4; --accent: #6b9bff; --accent-text: #0b1220; --accent-soft: #1b2a47;
    --ok: #5fd39a; --ok-soft: #12301f; --warn: #f2c14e; --warn-soft: #3a2e10; --bad: #ff8a7a;
    --bad-soft: #3d1813; --focus: #8fb3ff;
  }
}
* { box-sizing: border-box; }
html { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0; background: var(--bg); color: var(--text); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
.skip { position: absolute; left: -999px; top: 8px; background: var(--surface); padding: 8px 12px; z-index: 10; }
.skip:focus { left: 8px; }
.shell { display: grid; grid-template-columns: 232px 1fr; min-height: 100vh; }
.sidebar { background: var(--surface); border-right: 1px solid var(--border); padding: 20px 12px; }
.brand { font-weight: 700; font-size: 1.05rem; padding: 0 10px 16px; display: block; color: var(--text); text-decoration: none; }
.brand small { display: block; font-weight: 400; color: var(--muted); font-size: .8rem; }
.nav { list-style: none; margin: 0; padding: 0; }
.nav a { display: block; padding: 7px 10px; border-radius: 6px; color: var(--text); text-decoration: none; }
.nav a:hover { background: var(--surface-2); }
.nav a[aria-current="page"] { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.nav-group { margin: 14px 10px 4px; font-size: .72rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.topbar { display: flex; justify-content: flex-end; align-items: center; gap: 12px; padding: 12px 28px; border-bottom: 1px solid var(--border); background: var(--surface); }
.topbar .who { color: var(--muted); font-size: .9rem; }
main { padding: 24px 28px 48px; max-width: 1200px; }
.page-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; margin-bottom: 20px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.1rem; margin: 0 0 12px; }
.lede { color: var(--muted); margin: 0; max-width: 70ch; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); padding: 20px; margin-bottom: 20px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 16px; margin-bottom: 24px; }
.cards .card { display: flex; flex-direction: column; gap: 8px; margin: 0; }
.cards .card p { color: var(--muted); margin: 0; flex: 1; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 16px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; background: var(--surface); }
.table-wrap { border: 1px solid var(--border); border-radius: var(--radius); overflow-x: auto; background: var(--surface); margin-bottom: 12px; }
caption { text-align: left; padding: 12px 14px; font-weight: 600; }
th, td { text-align: left; padding: 9px 14px; border-top: 1px solid var(--border); vertical-align: top; }
thead th { border-top: 0; background: var(--surface-2); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.empty { padding: 24px; text-align: center; color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: .78rem; font-weight: 600; background: var(--surface-2); color: var(--muted); white-space: nowrap; }
.badge.ok { background: var(--ok-soft); color: var(--ok); }
.badge.warn { background: var(--warn-soft); color: var(--warn); }
.badge.bad { background: var(--bad-soft); color: var(--bad); }
.badge.info { background: var(--accent-soft); color: var(--accent); }
.button, button { font: inherit; display: inline-flex; align-items: center; gap: 6px; padding: 7px 14px; border-radius: 6px; border: 1px solid var(--border); background: var(--surface); color: var(--text); cursor: pointer; text-decoration: none; }
.button:hover, button:hover { background: var(--surface-2); }
.button.primary, button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
.button.danger, button.danger { border-color: var(--bad); color: var(--bad); }
button.danger.solid { background: var(--bad); color: #fff; }
button:disabled { opacity: .55; cursor: not-allowed; }
button.link { border: 0; background: none; padding: 0; color: var(--accent); text-decoration: underline; }
form.inline { display: inline; }
.field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 14px; max-width: 520px; }
.field label, .label { font-weight: 600; font-size: .9rem; }
.hint { color: var(--muted); font-size: .85rem; }
.error { color: var(--bad); font-size: .85rem; }
input[type=text], input[type=email], input[type=password], input[type=search], input[type=number], input[type=datetime-local], select, textarea {
  font: inherit; padding: 7px 10px; border: 1px solid var(--border); border-radius: 6px; background: var(--surface); color: var(--text); width: 100%;
}
input[aria-invalid="true"] { border-color: var(--bad); }
.check { display: flex; gap: 8px; align-items: center; margin-bottom: 14px; }
.filters { display: flex; gap: 12px; flex-wrap: wrap; align-items: flex-end; margin-bottom: 16px; }
.filters .field { margin: 0; min-width: 160px; }
.card .table-wrap { margin: 0 0 16px; box-shadow: none; }
td select { width: auto; }
td time { white-space: nowrap; }
.notice { border-radius: var(--radius); padding: 12px 16px; margin-bottom: 16px; border: 1px solid; }
.notice.ok { background: var(--ok-soft); color: var(--ok); border-color: currentColor; }
.notice.bad { background: var(--bad-soft); color: var(--bad); border-color: currentColor; }
.notice.warn { background: var(--warn-soft); color: var(--warn); border-color: currentColor; }
.secret { display: flex; gap: 8px; align-items: stretch; }
.secret code, code.block { flex: 1; padding: 8px 10px; background: var(--surface-2); border: 1px solid var(--border); border-radius: 6px; font-size: .88rem; overflow-wrap: anywhere; }
ol.steps { padding-left: 20px; } ol.steps li { margin-bottom: 6px; }
.pager { display: flex; gap: 8px; justify-content: flex-end; }
progress { width: 100%; height: 10px; }
dialog { border: 1px solid var(--border); border-radius: var(--radius); padding: 20px; max-width: 480px; background: var(--surface); color: var(--text); }
dialog::backdrop { background: rgba(0,0,0,.4); }
.auth { max-width: 420px; margin: 8vh auto; }
.auth .card { padding: 28px; }
.muted { color: var(--muted); }
/* A grid item's min-width is its content's: without this a wide table widens the page instead of scrolling. */
.shell > div { min-width: 0; }
.search-bar { align-items: flex-start; }
.search-bar > button { margin-top: calc(.9rem * 1.5 + 4px); }
.search-bar .field:first-of-type { min-width: 320px; }
table.dense th, table.dense td { padding: 9px 10px; }
table.dense td { overflow-wrap: break-word; }
table.dense td:first-child { min-width: 9rem; }
ul.plain { list-style: none; margin: 0; padding: 0; } ul.plain li + li { margin-top: 4px; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .86rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin: 0; }
.stats > div { background: var(--surface-2); border-radius: 6px; padding: 10px 14px; }
.stats dt { color: var(--muted); font-size: .85rem; }
.stats dd { margin: 0; font-size: 1.5rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.stats dd small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); line-height: 1.3; }
input[type=date] { font: inherit; padding: 6px 10px; border: 1px solid var(--border); border-radius: 6px; background: var(--surface); color: var(--text); width: 100%; }
ul.changes { margin: 0; padding: 0; list-style: none; overflow-wrap: break-word; font-size: .9rem; min-width: 12rem; }
.filter-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px 16px; align-items: end; margin-bottom: 16px; }
.filter-grid .field { margin: 0; max-width: none; }
td.nowrap { white-space: nowrap; }
.mt { margin-top: 14px; }
ul.changes li + li { margin-top: 2px; }
@media (max-width: 800px) { .shell { grid-template-columns: 1fr; } .sidebar { border-right: 0; border-bottom: 1px solid var(--border); } }
`
