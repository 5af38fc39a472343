/** Small helpers for the local host's server-rendered pages (index, Bitbucket-like frame, 404). */

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Bitbucket's bucket mark, drawn inline so the pages need no assets. */
export const bitbucketLogo =
  '<svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path fill="#0C66E4" d="M2.6 3a.6.6 0 0 0-.6.7l2.6 15.9c.1.4.4.7.8.7h12.5c.3 0 .5-.2.6-.5L21.9 3.7a.6.6 0 0 0-.6-.7H2.6zm11.8 11.5h-4L9.3 8.7h6.1l-1 5.8z"/></svg>';

export const chromeCss = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Oxygen,Ubuntu,'Fira Sans','Droid Sans','Helvetica Neue',sans-serif;font-size:14px;line-height:20px;color:#172b4d;background:#fff;display:flex;flex-direction:column}
a{color:#0c66e4;text-decoration:none}a:hover{text-decoration:underline}
.topbar{height:56px;flex:none;display:flex;align-items:center;gap:16px;padding:0 16px;border-bottom:1px solid #dcdfe4;background:#fff}
.brand{display:flex;align-items:center;gap:8px;font-weight:600;font-size:16px;color:#172b4d}
.brand:hover{text-decoration:none}
.topnav{display:flex;gap:4px}
.topnav span{padding:6px 8px;border-radius:3px;color:#44546f;font-weight:500}
.search{margin-left:auto;width:240px;height:32px;border:1px solid #8590a2;border-radius:3px;padding:0 8px;color:#626f86;display:flex;align-items:center}
.viewer{display:flex;align-items:center;gap:8px;color:#44546f;font-size:12px}
.avatar{width:24px;height:24px;border-radius:50%;background:#0c66e4;color:#fff;display:flex;align-items:center;justify-content:center;font-size:11px;font-weight:700}
.layout{flex:1;display:flex;min-height:0}
.sidebar{width:240px;flex:none;background:#f7f8f9;border-right:1px solid #dcdfe4;padding:16px 8px;overflow-y:auto}
.sidebar .context{display:flex;align-items:center;gap:8px;padding:4px 8px 16px;font-weight:600}
.sidebar .context .tile{width:32px;height:32px;border-radius:3px;background:#1f845a;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700}
.sidebar h4{margin:16px 8px 4px;font-size:11px;text-transform:uppercase;color:#626f86;letter-spacing:.02em}
.sidebar .item{display:block;padding:6px 8px;border-radius:3px;color:#44546f}
.sidebar .item.active{background:#e9f2ff;color:#0c66e4;font-weight:500}
.content{flex:1;display:flex;flex-direction:column;min-width:0}
.breadcrumbs{padding:16px 32px 0;color:#626f86;font-size:14px}
.breadcrumbs a{color:#626f86}
iframe.app{flex:1;width:100%;border:0;display:block}
.plain{max-width:960px;padding:24px 32px}
.plain h1{font-size:24px;font-weight:500;margin:0 0 16px}
.plain h2{font-size:16px;margin:24px 0 8px}
.plain ul{padding-left:20px}
.plain li{margin:4px 0}
.muted{color:#626f86}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.source-columns{flex:1;display:flex;gap:24px;padding:0 32px 24px 0;min-height:0}
.source-main{flex:1}
.card-column{width:340px;flex:none;padding-top:24px}
iframe.card-frame{width:100%;height:460px;border:1px solid #dcdfe4;border-radius:8px;display:block}
`;

export function topBar(viewer?: string): string {
  const initials = viewer ? escapeHtml(viewer.replace(/[^A-Za-z0-9]/g, '').slice(0, 2).toUpperCase() || '?') : '';
  return `<header class="topbar">
  <a class="brand" href="/">${bitbucketLogo}<span>Bitbucket</span></a>
  <nav class="topnav" aria-label="Bitbucket"><span>Your work</span><span>Workspaces</span><span>Repositories</span><span>Projects</span></nav>
  <div class="search" aria-hidden="true">Search</div>
  ${viewer ? `<div class="viewer" title="Choose another account with ?accountId=">Viewing as <code>${escapeHtml(viewer)}</code><span class="avatar">${initials}</span></div>` : ''}
</header>`;
}

export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${chromeCss}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

