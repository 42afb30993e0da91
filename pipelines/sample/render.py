"""The HTML of the sample's pages: the policy body, a homepage, error pages, and the four period templates a
site moves through as it is redesigned."""

from __future__ import annotations

import html
import unicodedata

from pipelines.sample.model import Site, Version


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def policy_body(site: Site, v: Version, layout: int) -> str:
    """The policy text of a version as HTML, marked up the way the template of ``layout`` did it."""
    date_html = f'<p class="last-updated"><em>{_e(v.date_line)}</em></p>'
    title = _e(v.title)
    parts = [f"<h1>{title}</h1>" if layout < 3 else f'<h1 class="page-title">{title}</h1>']
    if site.date_at_top:
        parts.append(date_html)
    for head, level, paras in v.blocks:
        sec = [f"<h{level}>{_e(head)}</h{level}>"] if head else []
        for p in paras:
            sec.append(f"<p>{_e(p.text)}</p>")
            if p.items:
                sec.append("<ul>\n" + "\n".join(f"  <li>{_e(i)}</li>" for i in p.items) + "\n</ul>")
        # Newer templates wrap sections; extraction must not care.
        parts.append(f"<section>\n{chr(10).join(sec)}\n</section>" if layout >= 2 else "\n".join(sec))
    if not site.date_at_top:
        parts.append(date_html)
    return "\n".join(parts)


def home_body(site: Site) -> str:
    """A homepage's content: not a policy, though it mentions what a policy would."""
    return (
        f"<h1>Welcome to {_e(site.name)}</h1>\n<p>{_e(site.tagline)}</p>\n<h2>Featured this week</h2>\n"
        f'<ul>\n  <li><a href="/{site.nav[0].lower()}/new">New arrivals</a></li>\n'
        '  <li><a href="/offers">Seasonal offers</a></li>\n'
        '  <li><a href="/blog">From our blog</a></li>\n</ul>\n'
        "<p>Sign up for our newsletter to hear about new products and special offers. We respect your inbox "
        "and you can unsubscribe at any time.</p>"
    )


def page(
    site: Site, layout: int, year: int, title: str, content: str, privacy_path: str, declare_charset: bool = True
) -> str:
    """Wrap content in one of four period templates; boilerplate varies by capture year."""
    t = f"{_e(title)} - {_e(site.name)}"
    co = _e(site.company)
    # URL slugs stay ASCII even when the menu labels are French.
    slug = [
        unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode().lower().replace(" ", "-") for n in site.nav
    ]
    navs = [(f"/{s}", _e(n)) for s, n in zip(slug, site.nav, strict=True)]
    banner = ""
    if year >= 2013:
        banner = (
            '<div id="cookie-banner" class="cookie-consent" role="dialog">'
            "<p>We use cookies to give you the best experience on our website. By continuing to browse, you "
            f'agree to our use of cookies. <a href="{privacy_path}">Learn more</a></p>'
            '<button type="button" class="accept">Accept</button></div>'
        )
    ccpa = (
        '<li><a href="/do-not-sell">Do Not Sell My Personal Information</a></li>'
        if year >= 2020 and "us" in site.features
        else ""
    )
    if layout == 0:
        meta = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n' if declare_charset else ""
        links = " | ".join(f'<a href="{h}.html">{n}</a>' for h, n in navs)
        return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html>
<head>
{meta}<title>{t}</title>
<link rel="stylesheet" type="text/css" href="/style.css">
</head>
<body bgcolor="#ffffff">
<table width="760" border="0" cellpadding="0" cellspacing="0" align="center">
<tr><td colspan="2" id="header"><img src="/images/logo.gif" alt="{_e(site.name)}" width="200" height="60"></td></tr>
<tr><td colspan="2" id="nav"><a href="/">Home</a> | {links}</td></tr>
<tr><td width="160" valign="top" class="sidebar"><p><b>Quick Links</b></p>
<a href="/terms.html">Terms of Use</a><br><a href="/faq.html">FAQ</a><br><a href="/sitemap.html">Site Map</a></td>
<td valign="top" class="content">
{content}
</td></tr>
<tr><td colspan="2" class="footer"><font size="1">&copy; {year} {co}. All rights reserved. |
<a href="{privacy_path}">Privacy Policy</a></font></td></tr>
</table>
{banner}
</body>
</html>
"""
    if layout == 1:
        items = "".join(f'<li><a href="{h}/">{n}</a></li>' for h, n in navs)
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{t}</title>
<link rel="stylesheet" href="/css/main.css" type="text/css" />
<script type="text/javascript" src="/js/jquery-1.4.2.min.js"></script>
</head>
<body class="page-privacy">
{banner}
<div id="wrapper">
<div id="header"><a href="/" id="logo">{_e(site.name)}</a>
<ul id="menu" class="menu"><li><a href="/">Home</a></li>{items}</ul></div>
<div id="main">
<div id="content" class="col-main">
{content}
</div>
<div id="sidebar" class="col-side"><h4>Related</h4>
<ul><li><a href="/terms/">Terms of Use</a></li><li><a href="/help/">Help Center</a></li>
<li><a href="/careers/">Careers</a></li></ul></div>
</div>
<div id="footer"><p>Copyright &copy; {year} {co}. All rights reserved.</p>
<p><a href="{privacy_path}">Privacy</a> | <a href="/terms/">Terms</a> | <a href="/sitemap/">Site Map</a></p></div>
</div>
</body>
</html>
"""
    if layout == 2:
        items = "".join(f'<li><a href="{h}">{n}</a></li>' for h, n in navs)
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<header class="site-header"><a class="brand" href="/">{_e(site.name)}</a>
<nav class="main-nav"><ul>{items}</ul></nav></header>
<main class="container">
<article class="legal-page">
{content}
</article>
<aside class="sidebar"><nav aria-label="Legal"><ul><li><a href="/terms">Terms of Service</a></li>
<li><a href="/cookies">Cookie Policy</a></li><li><a href="/accessibility">Accessibility</a></li></ul></nav></aside>
</main>
<footer class="site-footer"><p>&copy; {year} {co}</p>
<ul class="footer-links"><li><a href="{privacy_path}">Privacy</a></li>
<li><a href="/terms">Terms</a></li>{ccpa}</ul></footer>
{banner}
<script src="/assets/app.js" defer></script>
</body>
</html>
"""
    items = "".join(f'<li class="nav-item"><a class="nav-link" href="{h}">{n}</a></li>' for h, n in navs)
    return f"""<!doctype html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}</title>
<script>window.dataLayer = window.dataLayer || [];</script>
<link rel="stylesheet" href="/_next/static/css/app.css">
</head>
<body class="antialiased">
<div id="__next"><div class="flex flex-col min-h-screen">
<nav class="navbar navbar-expand-lg" aria-label="Primary"><a class="navbar-brand" href="/">{_e(site.name)}</a>
<ul class="navbar-nav">{items}<li class="nav-item"><a class="nav-link" href="/account">Sign in</a></li></ul></nav>
<div class="row"><div class="col-md-9 prose">
{content}
</div>
<div class="col-md-3"><ul class="list-unstyled"><li><a href="/legal/terms">Terms of Service</a></li>
<li><a href="/legal/cookies">Cookie Settings</a></li></ul></div></div>
<footer class="bg-dark text-white"><div class="small">Copyright &#169; {year} {co}. All Rights Reserved.</div>
<ul class="list-inline">{ccpa}<li><a href="/legal/terms">Terms</a></li></ul></footer>
</div></div>
{banner}
</body>
</html>
"""


def error_body(status: int, path: str, location: str | None) -> bytes:
    """The server's page for a 301 to ``location`` or a 404 of ``path``."""
    if status == 301:
        text = (
            f"<html><head><title>301 Moved Permanently</title></head><body>\n<h1>Moved Permanently</h1>\n"
            f'<p>The document has moved <a href="{location}">here</a>.</p>\n</body></html>\n'
        )
    else:
        text = (
            f"<html><head><title>404 Not Found</title></head><body>\n<h1>Page not found</h1>\n"
            f"<p>The requested URL {path} was not found on this server.</p>\n</body></html>\n"
        )
    return text.encode("ascii")
