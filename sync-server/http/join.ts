/**
 * GET /join: the page an invite link opens in a browser. The code sits in the link's
 * fragment (`/join#<code>`), which browsers never send, so it reaches neither this server
 * nor its logs. The page has no script: it only tells the person what to do, in en/nb/sv.
 */
import type { ServerResponse } from 'node:http';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Varde: join a plan</title>
<style>
body { font: 1.05rem/1.5 system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #1d2a2f; }
h1 { font-size: 1.4rem; } section { margin-top: 1.5rem; } h2 { font-size: 1.1rem; margin-bottom: .25rem; }
</style>
</head>
<body>
<h1>Varde</h1>
<section lang="en">
<h2>You are invited to a shared plan</h2>
<p>Open the Varde extension, choose <strong>Join</strong>, and paste this link (the whole address from the address bar).</p>
</section>
<section lang="nb">
<h2>Du er invitert til en delt plan</h2>
<p>Åpne Varde-utvidelsen, velg <strong>Bli med</strong>, og lim inn denne lenken (hele adressen fra adressefeltet).</p>
</section>
<section lang="sv">
<h2>Du är inbjuden till en delad plan</h2>
<p>Öppna Varde-tillägget, välj <strong>Gå med</strong> och klistra in den här länken (hela adressen från adressfältet).</p>
</section>
</body>
</html>
`;

/**
 * Answers the static, script-free join page, under a CSP that allows only its inline style, sending no
 * referrer, and cacheable for an hour.
 */
export function sendJoinPage(res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(PAGE),
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'public, max-age=3600',
  });
  res.end(PAGE);
}
