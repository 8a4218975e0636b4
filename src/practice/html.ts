/**
 * HTML helpers: escaping and the shared page shell (inline CSS, header nav, footer).
 * The shell is deliberately realistic in weight (~4 KB) because benchmarks assume
 * ~12 KB pages; its links only point at pages that exist.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const ESCAPE_RE = /[&<>"']/g;
const NEEDS_ESCAPE = /[&<>"']/;

export function esc(s: string): string {
  // Most generated text has nothing to escape; testing first avoids the replace callback.
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_RE, (c) => ESCAPES[c]!) : s;
}

const CSS = `
  *,*::before,*::after{box-sizing:border-box}
  html{font-size:16px;-webkit-text-size-adjust:100%}
  body{margin:0;font-family:"Helvetica Neue",Helvetica,Arial,sans-serif;line-height:1.5;color:#333;background:#fff}
  a{color:#3677e8;text-decoration:none}a:hover,a:focus{color:#1d4fa3;text-decoration:underline}
  .site-header{background:#1f2937;color:#f9fafb;padding:12px 0;border-bottom:3px solid #3677e8}
  .site-header .brand{font-family:Georgia,"Times New Roman",serif;font-size:26px;color:#fff;margin-right:24px}
  .site-header nav a{color:#d1d5db;margin-right:16px;font-size:15px}
  .site-header nav a:hover{color:#fff}
  .container{max-width:1140px;margin:0 auto;padding:0 15px}
  .row{display:flex;flex-wrap:wrap;margin:0 -15px}
  .col-md-8{flex:0 0 66.666%;padding:0 15px}.col-md-4{flex:0 0 33.333%;padding:0 15px}
  .header-box{padding:24px 0 12px}.header-box h1{font-family:Georgia,serif;font-weight:400;margin:0}
  .quote{padding:12px 16px;margin-bottom:24px;border:1px solid #ddd;border-radius:6px;box-shadow:2px 2px 4px rgba(0,0,0,.05)}
  .quote span.text{display:block;font-size:17px;margin-bottom:6px}
  .quote small.author{font-weight:700;color:#3677e8}
  .quote .tags{margin-top:6px;font-size:13px}
  .tag{display:inline-block;padding:0 7px;margin:2px;border-radius:4px;background:#7ca3e6;color:#fff;font-size:13px}
  .tag:hover{background:#5889de;text-decoration:none}
  .tags-box{padding-top:12px}.tags-box h2{font-size:20px;font-weight:400}
  .tag-item{display:block;margin-bottom:4px}
  .pager{list-style:none;padding:0;margin:20px 0;display:flex;justify-content:space-between}
  .pager li>a{display:inline-block;padding:5px 14px;border:1px solid #ddd;border-radius:15px;background:#fff}
  .pages{list-style:none;padding:0;margin:0 0 24px;display:flex;flex-wrap:wrap;gap:6px;font-size:13px}
  .pages li a{padding:2px 8px;border:1px solid #e5e7eb;border-radius:3px}
  .author-details{padding:16px 0}.author-title{font-size:28px;font-family:Georgia,serif;font-weight:400}
  .author-born-date,.author-born-location{font-weight:600}
  .author-description{text-align:justify;font-size:16px;line-height:1.65}
  article.job{border-bottom:1px solid #eee;padding:14px 0}article.job h2.title{font-size:19px;margin:0 0 4px}
  .company{font-weight:600}.salary{color:#047857}.posted{color:#6b7280;font-size:13px}
  table{border-collapse:collapse;width:100%;margin:16px 0}th,td{border:1px solid #e5e7eb;padding:6px 10px;text-align:left}
  thead th{background:#f3f4f6}tbody tr:nth-child(even){background:#fafafa}
  .site-footer{margin-top:40px;padding:28px 0;background:#f9fafb;border-top:1px solid #e5e7eb;color:#6b7280;font-size:13px}
  .site-footer .cols{display:flex;gap:40px}.site-footer h4{color:#374151;margin:0 0 8px;font-size:14px}
  .site-footer ul{list-style:none;padding:0;margin:0}.site-footer li{margin-bottom:4px}
  @media (max-width:768px){.col-md-8,.col-md-4{flex:0 0 100%}.site-footer .cols{flex-direction:column;gap:16px}}
`;

const HEADER = `<header class="site-header"><div class="container">
<a class="brand" href="/">Practice Site</a>
<nav aria-label="Main"><a href="/quotes/page/1/">Quotes</a><a href="/jobs/?page=1">Jobs</a><a href="/table">Products</a><a href="/">Index</a></nav>
</div></header>`;

const FOOTER = `<footer class="site-footer"><div class="container"><div class="cols">
<div><h4>Practice Site</h4><p>A deterministic playground for crawler tests and benchmarks. Every page on it is generated from a seed,
so the same seed always gives the same pages, links and items.</p></div>
<div><h4>Sections</h4><ul><li><a href="/quotes/page/1/">Quotes</a></li><li><a href="/jobs/?page=1">Jobs board</a></li><li><a href="/table">Product table</a></li></ul></div>
<div><h4>About</h4><p>Quotes, people, companies and products here are fictional. Any resemblance to real quotations is a coincidence
of the word lists. Built for gleaner, served on loopback only.</p></div>
</div><p class="copyright">Quotes by fictional authors. Made with care for honest scraping tests.</p></div></footer>`;

export interface ShellOptions {
  title: string;
  body: string;
  /** Extra markup for <head> (meta tags, <base>). */
  head?: string;
  /** Replaces `<meta charset="utf-8">`; "" for none. */
  charsetMeta?: string;
}

export function shell(o: ShellOptions): string {
  const charset = o.charsetMeta ?? '<meta charset="utf-8">';
  return `<!DOCTYPE html>
<html lang="en">
<head>
${charset}
<title>${esc(o.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gleaner practice site">
${o.head ?? ""}<style>${CSS}</style>
</head>
<body>
${HEADER}
<main class="container">
${o.body}
</main>
${FOOTER}
</body>
</html>
`;
}
