"""Precision / recall of `is_policy` on a labelled set of policy and non-policy pages, through `extract()`.

The set:
- positives from shared data: every OPP-115 original policy page (114 HTML + 1 PDF) and every distinct payload
  of the Open Terms Archive dating captures (privacy-policy pages of 24 services, 2021-2026);
- positives GENERATED here: brief policies of 4-8 sentences (as small sites publish), with site boilerplate;
- negatives GENERATED here from a seed (default 20240917, never used while writing the score): terms of
  service, home pages, news articles (some about privacy), login walls, cookie walls, 404 and soft-404 pages,
  Wayback Machine error pages, parked domains, company "about" pages, FAQ/help pages, and stubs titled
  "Privacy Policy" that are not one (moved, not found, coming soon). Each page gets varied
  boilerplate: site navigation, a footer linking to "Privacy Policy" / "Terms", sometimes a cookie banner.

Run: `uv run python -m bench.text.eval_classify [--seed N] [--per-kind 40] [--ota-max 400]`
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from collections import Counter
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from pipelines.text.extract import extract

_TITLE_RULE = re.compile(r"privacy|datenschutz|confidentialit|privacidad", re.I)
DATA = Path(__file__).resolve().parents[2] / "../shared/data"

COMPANIES = ["Brightleaf", "Northstar Media", "Quillon", "Harbor & Pine", "Vexa Labs", "Oakridge Outfitters",
             "Lumen Health", "Corvid Games", "Tessellate", "Ridgeway Bank", "Pixelmoth", "Kettle & Co",
             "Solstice Travel", "Bramble Books", "Ironclad Tools", "Meridian News", "Fable Foods",
             "Zephyr Auto"]  # fmt: skip
NAV = ["Home", "Shop", "News", "About", "Contact", "Blog", "Careers", "Support", "Sign in", "Deals", "Sports",
       "Business", "Help Center", "Stores", "Investors", "Press", "Community", "Gift Cards"]  # fmt: skip
FOOTER = ["Privacy Policy", "Terms of Use", "Cookie Settings", "Accessibility", "Sitemap", "Do Not Sell My Info",
          "Contact Us", "Careers", "Ad Choices", "Terms of Service", "Your Privacy Choices"]  # fmt: skip
COOKIE_BANNERS = [
    "We use cookies to improve your experience, analyse traffic and personalise ads. By clicking Accept you "
    "consent to our use of cookies. Read our Privacy Policy and Cookie Policy.",
    "This website uses cookies and similar technologies to collect information about your visit. You can manage "
    "your preferences at any time. Accept all | Reject all | Settings",
    "Cookies help us deliver our services. By using our services, you agree to our use of cookies. Learn more",
]
TOS_SECTIONS = [
    ("Acceptance of Terms", "By accessing or using the Service you agree to be bound by these Terms. If you do "
     "not agree to all of these Terms, do not use the Service. We may modify these Terms at any time."),
    ("Eligibility", "You must be at least 18 years old to use the Service. By agreeing to these Terms you "
     "represent and warrant that you have the right, authority and capacity to enter into this agreement."),
    ("User Accounts", "You are responsible for safeguarding your password and for all activities under your "
     "account. You agree to provide accurate information and to keep it up to date."),
    ("Privacy", "Your use of the Service is also governed by our Privacy Policy, which describes how we collect "
     "and use personal information. Please review the Privacy Policy to understand our practices."),
    ("Intellectual Property", "All content, trademarks and logos on the Service are the property of {c} or its "
     "licensors and are protected by copyright and trademark laws. You may not copy or distribute them."),
    ("User Content", "You retain ownership of content you submit, but you grant {c} a worldwide, royalty-free "
     "license to use, reproduce, modify and display such content in connection with the Service."),
    ("Prohibited Conduct", "You agree not to use the Service to upload unlawful material, harass others, "
     "interfere with the Service, or attempt to gain unauthorized access to our systems."),
    ("Disclaimer of Warranties", "THE SERVICE IS PROVIDED AS IS AND AS AVAILABLE WITHOUT WARRANTIES OF ANY KIND, "
     "EXPRESS OR IMPLIED, INCLUDING WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE."),
    ("Limitation of Liability", "TO THE MAXIMUM EXTENT PERMITTED BY LAW, {c} SHALL NOT BE LIABLE FOR ANY "
     "INDIRECT, INCIDENTAL, SPECIAL OR CONSEQUENTIAL DAMAGES ARISING OUT OF YOUR USE OF THE SERVICE."),
    ("Indemnification", "You agree to indemnify and hold harmless {c} and its affiliates from any claims arising "
     "from your use of the Service or your violation of these Terms."),
    ("Governing Law and Arbitration", "These Terms are governed by the laws of the State of Delaware. Any dispute "
     "shall be resolved by binding arbitration on an individual basis; you waive class actions."),
    ("Termination", "We may suspend or terminate your access to the Service at any time, with or without cause "
     "or notice. Provisions that by their nature should survive termination shall survive."),
    ("Purchases and Payment", "Prices are subject to change. You authorize us to charge your payment method for "
     "all fees incurred. Refunds are governed by our Return Policy."),
    ("Changes to These Terms", "We may revise these Terms from time to time. The revised Terms take effect when "
     "posted. Your continued use of the Service means you accept the changes."),
]  # fmt: skip
ARTICLE_TOPICS = [
    ("City council approves new budget for road repairs", "The council voted 7-2 on Tuesday to approve a budget "
     "that sets aside funds for repairing roads and bridges. Residents spoke for hours at the meeting."),
    ("Regulators fine tech giant over data practices", "European regulators on Monday fined the company over how "
     "it handled personal data of users, saying consent banners did not give people a real choice. The company "
     "said it would appeal. Privacy advocates welcomed the decision, and lawmakers called for stronger rules."),
    ("Local team wins championship in overtime", "Fans poured into the streets after the home team scored in "
     "overtime to win its first title in two decades. The coach praised the defense."),
    ("How to keep your passwords safe", "Security experts recommend using a password manager and turning on "
     "two-factor authentication. Avoid reusing passwords across websites and beware of phishing emails."),
    ("Review: the new phone is fast but pricey", "The camera is excellent and the battery lasts all day, but the "
     "price will give many buyers pause. The software collects fewer analytics than before, the maker says."),
    ("Storm brings heavy rain to the coast", "Forecasters warned of flooding as the storm moved north. Schools "
     "closed early and officials urged drivers to stay off the roads."),
]  # fmt: skip
PARKED = [
    "{d} is for sale! Buy this domain today. Make an offer. Related searches: cheap flights, insurance quotes, "
    "online degrees, credit cards.",
    "This domain may be for sale. Inquire now. {d} - Sponsored listings. Disclaimer: domain owner and parking "
    "service maintain no relationship with third party advertisers.",
    "Welcome to {d}. This web page is parked FREE, courtesy of our registrar. Want your own domain name? Search "
    "now. Privacy Policy.",
]
ERRORS = [
    ("404 Not Found", "404 Not Found. The requested URL was not found on this server."),
    ("Page not found", "Oops! We can't find the page you're looking for. It may have been moved or deleted. "
     "Try searching our site or go back to the home page."),
    ("Error", "Sorry, this page is no longer available. The link you followed may be broken, or the page may "
     "have been removed. Privacy Policy | Terms of Use"),
    ("Access Denied", "Access Denied. You don't have permission to access this page on this server. "
     "Reference #18.2f3a1c"),
    ("Service Unavailable", "503 Service Temporarily Unavailable. The server is temporarily unable to service "
     "your request due to maintenance downtime or capacity problems. Please try again later."),
]  # fmt: skip
WAYBACK = [
    "Hrm. The Wayback Machine has not archived that URL. This page is not available on the web because page "
    "does not exist. Click here to search for all archived pages under {u}.",
    "Got an HTTP 302 response at crawl time. Redirecting to... {u}. Impatient? The Wayback Machine",
    "Wayback Machine. This URL has been excluded from the Wayback Machine. Sorry.",
    "Hrm. Wayback Machine doesn't have that page archived. Want to search for all archived pages under {u}?",
]
LOGIN = [
    "Sign in to continue. Email or phone. Password. Forgot password? Keep me signed in. Don't have an account? "
    "Create one. By signing in you agree to our Terms of Service and Privacy Policy.",
    "Log in. Username. Password. Remember me. Log in with Google. Log in with Facebook. New here? Sign up. "
    "Protected by reCAPTCHA; the Google Privacy Policy and Terms of Service apply.",
    "Please verify you are a human. Access to this page has been denied because we believe you are using "
    "automation tools to browse the website. Please make sure that cookies and JavaScript are enabled.",
]
COOKIE_WALL = [
    "Before you continue. We use cookies and data to deliver and maintain services, track outages and protect "
    "against spam, fraud and abuse, and measure audience engagement. If you choose Accept all, we will also use "
    "cookies and data to develop new services and show personalised ads. Reject all. Accept all. More options.",
    "Your privacy choices. We and our 843 partners store and access information on your device, such as cookies, "
    "and process personal data, such as unique identifiers, for personalised ads and content, ad measurement and "
    "audience insights. You can accept or manage your choices. Accept. Manage settings.",
]
HOME = [
    "Welcome to {c}. Discover our new collection. Free shipping on orders over $50. Shop now. Best sellers. "
    "New arrivals. Sign up for our newsletter and get 10% off your first order. Enter your email.",
    "{c} - trusted by millions. Our products help teams work better together. Start your free trial. "
    "See pricing. Customer stories. Read what our customers say about us.",
    "Latest news from {c}. Top stories. Weather. Markets. Video. Most popular. Subscribe for unlimited access.",
]
ABOUT = [
    "About {c}. Founded in 1998, {c} makes products people love. Our mission is to help families live better. "
    "We employ 2,000 people in twelve countries. Our leadership team. Our values: honesty, quality, service.",
    "Frequently asked questions. How do I track my order? Use the link in your confirmation email. How do I "
    "return an item? Returns are free within 30 days. How do I reset my password? Click Forgot password.",
]


SHORT_POLICY = [
    "We collect your name, email address and shipping address when you place an order, and use them only to "
    "process and deliver your order.",
    "We do not sell, trade or rent your personal information to third parties.",
    "We may share your information with the payment processor and the carrier that deliver your purchase.",
    "Our site uses cookies to keep your shopping cart; you can disable cookies in your browser.",
    "We use industry-standard SSL encryption to protect your data.",
    "If you no longer wish to receive our newsletter, click the unsubscribe link in any email.",
    "Our server logs record IP addresses and browser types to help us diagnose problems.",
    "We do not knowingly collect information from children under 13.",
    "We may update this policy from time to time; changes will be posted on this page.",
    "Questions about this policy? Contact us at privacy@{d}.",
]
PRIVACY_NAMED_STUBS = [
    "This page has moved. Please update your bookmarks.",
    "Page not found. The page you requested could not be found.",
    "Coming soon.",
    "Sorry, this page is temporarily unavailable. Please try again later.",
]


def _page(rng: random.Random, title: str, body_html: str, company: str) -> bytes:
    nav = "".join(f"<li><a href='#'>{n}</a></li>" for n in rng.sample(NAV, rng.randint(4, 9)))
    foot = " | ".join(rng.sample(FOOTER, rng.randint(3, 7)))
    banner = f"<div class='cookie-banner'>{rng.choice(COOKIE_BANNERS)}</div>" if rng.random() < 0.4 else ""
    nav_html = f"<nav><ul>{nav}</ul></nav>" if rng.random() < 0.6 else f"<div class='menu'><ul>{nav}</ul></div>"
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>{banner}"
        f"<div class='header'>{company}</div>{nav_html}<div id='content'>{body_html}</div>"
        f"<div class='footer'><p>{foot}</p><p>&copy; {rng.randint(2003, 2024)} {company}. All rights reserved.</p>"
        "</div></body></html>"
    ).encode()


def negatives(seed: int, per_kind: int) -> list[tuple[str, bytes]]:
    """(kind, page bytes) for `per_kind` generated pages of each non-policy kind."""
    rng = random.Random(seed)
    out: list[tuple[str, bytes]] = []
    for _ in range(per_kind):
        c = rng.choice(COMPANIES)
        d = c.lower().replace(" ", "").replace("&", "and") + rng.choice([".com", ".net", ".example"])
        secs = rng.sample(TOS_SECTIONS, rng.randint(6, len(TOS_SECTIONS)))
        tos = "".join(f"<h2>{i}. {h}</h2><p>{p.format(c=c)}</p>" for i, (h, p) in enumerate(secs, 1))
        title = rng.choice(["Terms of Service", "Terms of Use", "Terms and Conditions", "User Agreement"])
        out.append(
            ("terms", _page(rng, f"{title} | {c}", f"<h1>{title}</h1><p>Last updated: March 3, 2019</p>{tos}", c))
        )
        head, para = rng.choice(ARTICLE_TOPICS)
        paras = "".join(f"<p>{para}</p>" for _ in range(rng.randint(2, 6)))
        out.append(
            ("article", _page(rng, f"{head} - {c}", f"<article><h1>{head}</h1><p>By Staff</p>{paras}</article>", c))
        )
        out.append(("home", _page(rng, c, "".join(f"<p>{rng.choice(HOME).format(c=c)}</p>" for _ in range(3)), c)))
        out.append(("login", _page(rng, f"Sign in - {c}", f"<form><p>{rng.choice(LOGIN)}</p></form>", c)))
        out.append(
            (
                "cookie_wall",
                _page(rng, c, f"<div><h2>Before you continue</h2><p>{rng.choice(COOKIE_WALL)}</p></div>", c),
            )
        )
        t, e = rng.choice(ERRORS)
        out.append(("error", _page(rng, t, f"<h1>{t}</h1><p>{e}</p>", c)))
        u = f"http://{d}/privacy"
        msg = rng.choice(WAYBACK).format(u=u)
        way = f"<html><head><title>Wayback Machine</title></head><body><p>{msg}</p></body></html>"
        out.append(("wayback_error", way.encode()))
        parked = f"<html><head><title>{d}</title></head><body><p>{rng.choice(PARKED).format(d=d)}</p></body></html>"
        out.append(("parked", parked.encode()))
        out.append(("about_faq", _page(rng, f"About - {c}", f"<p>{rng.choice(ABOUT).format(c=c)}</p>", c)))
        stub = f"<h1>Privacy Policy</h1><p>{rng.choice(PRIVACY_NAMED_STUBS)}</p>"
        out.append(("privacy_named_stub", _page(rng, f"Privacy Policy | {c}", stub, c)))
    return out  # fmt: skip


def short_policies(seed: int, n: int) -> list[tuple[str, bytes]]:
    """Generated brief policies (4-8 sentences, as small sites publish) with the same boilerplate as negatives."""
    rng = random.Random(seed + 1)
    out = []
    for _ in range(n):
        c = rng.choice(COMPANIES)
        d = c.lower().replace(" ", "").replace("&", "and") + ".com"
        body = "".join(f"<p>{t.format(d=d)}</p>" for t in rng.sample(SHORT_POLICY, rng.randint(4, 8)))
        title = rng.choice(["Privacy Policy", "Privacy Notice", "Privacy Statement", "Our Privacy Policy"])
        out.append(("short_policy", _page(rng, f"{title} - {c}", f"<h1>{title}</h1>{body}", c)))
    return out


def positives(ota_max: int) -> list[tuple[str, bytes, str | None]]:
    """(source, payload, content type): OPP-115 originals and distinct OTA capture payloads."""
    out: list[tuple[str, bytes, str | None]] = []
    for p in sorted((DATA / "opp115" / "original_policies").iterdir()):
        raw = p.read_bytes()
        out.append(("opp115", raw, "application/pdf" if raw.startswith(b"%PDF-") else "text/html"))
    seen: set[bytes] = set()
    with gzip.open(DATA / "ota-dating" / "captures.warc.gz", "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response" or len(seen) >= ota_max:
                continue
            body = rec.content_stream().read()
            if body in seen:
                continue
            seen.add(body)
            out.append(("ota", body, rec.http_headers.get_header("Content-Type") if rec.http_headers else None))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20240917)
    ap.add_argument("--per-kind", type=int, default=40)
    ap.add_argument("--ota-max", type=int, default=400, help="distinct OTA payloads to use (all: 10000)")
    ap.add_argument("--show", type=int, default=5, help="print this many mistakes")
    args = ap.parse_args(argv)
    rows: list[tuple[str, bool, bool, float, bool]] = []  # (kind, truth, predicted, score, baseline)
    labelled = [(s, True, raw, ct) for s, raw, ct in positives(args.ota_max)]
    labelled += [(k, True, raw, "text/html") for k, raw in short_policies(args.seed, args.per_kind)]
    labelled += [(k, False, raw, "text/html") for k, raw in negatives(args.seed, args.per_kind)]
    for kind, truth, raw, ctype in labelled:
        d = extract(raw, ctype)
        rows.append((kind, truth, d.is_policy, d.policy_score, bool(_TITLE_RULE.search(d.title + d.text[:300]))))
    kinds = Counter(r[0] for r in rows)
    print("labelled set:", ", ".join(f"{k}={n}" for k, n in sorted(kinds.items())))
    print(f"positives={sum(r[1] for r in rows)} negatives={sum(not r[1] for r in rows)} seed={args.seed}")
    for name, col in (("is_policy (ours)", 2), ("baseline: privacy word in title/opening", 4)):
        tp = sum(r[1] and r[col] for r in rows)
        fp = sum(r[col] and not r[1] for r in rows)
        fn = sum(r[1] and not r[col] for r in rows)
        print(f"{name:<42} precision={tp / max(tp + fp, 1):.4f} recall={tp / max(tp + fn, 1):.4f} fp={fp} fn={fn}")
    print("errors by kind (ours):", dict(Counter(r[0] for r in rows if r[1] != r[2])) or "none")
    print("calibration: score bin -> pages, share that are policies")
    for lo in (0.0, 0.1, 0.3, 0.5, 0.7, 0.9):
        hi = {0.0: 0.1, 0.1: 0.3, 0.3: 0.5, 0.5: 0.7, 0.7: 0.9, 0.9: 1.01}[lo]
        b = [r[1] for r in rows if lo <= r[3] < hi]
        print(f"  [{lo:.1f}, {min(hi, 1.0):.1f}) n={len(b):4d} policies={sum(b) / len(b) if b else float('nan'):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
