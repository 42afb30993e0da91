"""Deterministic sample web archive of fictional privacy-policy captures, with ground truth.

The sample exists so every pipeline stage can be tested offline against known answers:
five fictional ``.example`` sites whose policies evolve 2005-2025 through regulatory eras
(Safe Harbor -> Privacy Shield -> SCCs -> Data Privacy Framework, GDPR, CCPA -> CPRA),
served through changing page templates, plus the awkward records real archives contain
(a windows-1252 page without a declared charset, a 404, a 301 after a URL move, a
homepage capture and a WARC ``revisit`` record).

Ground truth conventions:

* ``kind=markup_change`` marks the first capture after a site redesign (new template) inside
  an unchanged policy version; yearly copyright / cookie-banner differences stay ``policy``.
* The revisit record stands for the policy payload it refers to, so it is ``is_policy=true``
  and carries that capture's version.
* ``truth_paragraphs.jsonl`` ``position`` is 0-based in document order and includes the
  "Last updated" line (with no practices); ``heading`` is the nearest preceding heading or null.

Run ``python -m pipelines.sample OUT_DIR`` to write the files.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import random
import sys
import unicodedata
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

__all__ = ["SampleFiles", "write_sample", "PRACTICE_LABELS"]

# --- practice labels (OPP-115 categories + modern markers) --------------------------------
FPC, TPS, UCC = "First Party Collection/Use", "Third Party Sharing/Collection", "User Choice/Control"
UAED, RET, SEC = "User Access, Edit and Deletion", "Data Retention", "Data Security"
CHG, DNT, ISA, OTH = "Policy Change", "Do Not Track", "International and Specific Audiences", "Other"
COOK, KIDS, CAL, GDPR = "cookies", "children", "california", "gdpr"
SH, PS, DPF, SRO, DNTM = "safe_harbor", "privacy_shield", "data_privacy_framework", "self_regulatory", "do_not_track"
PRACTICE_LABELS = (FPC, TPS, UCC, UAED, RET, SEC, CHG, DNT, ISA, OTH, COOK, KIDS, CAL, GDPR, SH, PS, DPF, SRO, DNTM)

FIRST_DAY, LAST_DAY = date(2005, 1, 1), date(2025, 9, 30)
LAST_VERSION_DAY = date(2025, 3, 1)


@dataclass(frozen=True)
class SampleFiles:
    """Paths of the files produced by :func:`write_sample`."""

    warc: Path
    sources: Path
    truth_captures: Path
    truth_paragraphs: Path


@dataclass(frozen=True)
class Para:
    """One authored paragraph; ``items`` turns it into a lead-in followed by a <ul>."""

    text: str
    practices: tuple[str, ...]
    items: tuple[str, ...] = ()


def P(text: str, *practices: str, items: tuple[str, ...] = ()) -> Para:  # noqa: N802 - table shorthand
    return Para(text, practices, items)


@dataclass(frozen=True)
class Slot:
    """A policy section: it is present while ``since <= stated date <= until`` and the site has ``needs``."""

    key: str
    headings: tuple[str | None, ...]
    level: int
    since: date
    until: date
    alts: tuple[tuple[Para, ...], ...]
    needs: str | None = None


def _d(y: int, m: int = 1, d: int = 1) -> date:
    return date(y, m, d)


ALWAYS = (FIRST_DAY, date(2099, 12, 31))

# Hand-labelled paragraph library. Order here is document order. Placeholders:
# {company} {site} {domain} {email} {address}.
SLOTS: tuple[Slot, ...] = (
    Slot("intro", (None,), 0, *ALWAYS, (
        (P('{company} ("{site}," "we," "us" or "our") respects your privacy. This Privacy Policy explains what '
           'information we collect when you visit {domain}, how we use it, and the choices you have.', OTH),),
        (P("This Privacy Policy applies to {domain} and to any services offered by {company}. By using our website, "
           "you agree to the collection and use of information in accordance with this policy.", OTH),),
        (P("Your privacy is important to us. This statement describes the types of personal information {company} "
           "gathers through this website and how that information is used and safeguarded.", OTH),),
    )),
    Slot("collect", ("Information We Collect", "What Information Do We Collect?", "Information You Give Us"), 2,
         *ALWAYS, (
        (P("We collect personal information that you voluntarily provide to us when you register, place an order, "
           "enter a contest or contact customer service. This may include:", FPC,
           items=("your name, postal address and telephone number;", "your e-mail address;",
                  "billing and payment card information; and",
                  "any other information you choose to include in messages to us.")),
         P("We also automatically record certain information when you visit, such as your IP address, browser type, "
           "referring page and the pages you view. This information is stored in our server logs.", FPC)),
        (P("When you create an account or make a purchase, we ask for contact details such as your name, e-mail "
           "address and shipping address. Payment information is collected by our payment processor and is not "
           "stored on our servers.", FPC, TPS),
         P("Like most websites, our servers automatically log technical information about your visit, including your "
           "Internet Protocol address, operating system, and the date and time of your request.", FPC)),
        (P("The information we collect falls into two groups:", FPC, items=(
            "Information you provide directly, such as when you fill out a form, subscribe to a newsletter or post "
            "a review.",
            "Information collected automatically, such as device identifiers, browser characteristics and "
            "approximate location derived from your IP address.")),),
    )),
    Slot("use", ("How We Use Information", "Use of Your Information", "How We Use Your Personal Information"), 2,
         *ALWAYS, (
        (P("We use the information we collect to process and ship your orders, respond to your inquiries, and send "
           "you transactional messages about your account.", FPC),
         P("With your permission, we may also send you newsletters and promotional offers. We use aggregate, "
           "non-identifying data to understand how visitors use our site and to improve its content.", FPC)),
        (P("{company} uses personal information to provide and personalize our services, to communicate with you, "
           "to prevent fraud and to comply with our legal obligations.", FPC),),
        (P("We may use your information to:", FPC, items=(
            "operate and maintain the website;", "fulfil your requests and transactions;",
            "send you updates, security alerts and support messages; and",
            "analyze trends and measure the effectiveness of our marketing.")),),
    )),
    Slot("cookies_basic", ("Cookies", "Use of Cookies"), 2, _d(2008), _d(2015, 12, 31), (
        (P('Our website uses "cookies," small text files that are stored on your computer by your web browser. We '
           "use cookies to remember the contents of your shopping cart and to recognize you when you return.",
           FPC, COOK),
         P("You can set your browser to refuse cookies, but some parts of the site may not function properly if "
           "you do so.", UCC, COOK)),
        (P("We use session cookies, which expire when you close your browser, and persistent cookies, which remain "
           "on your computer until you delete them. Cookies help us keep you signed in and remember your "
           "preferences.", FPC, COOK),),
        (P("A cookie is a small piece of data that a website asks your browser to store. We use cookies to measure "
           "site traffic and to save your settings. Most browsers accept cookies automatically, but you can usually "
           "change your browser settings to decline them.", FPC, UCC, COOK),),
    )),
    Slot("cookies_modern", ("Cookies and Similar Technologies", "Cookies, Pixels and Local Storage"), 2,
         _d(2016), ALWAYS[1], (
        (P("We and our partners use cookies, web beacons, pixels and similar technologies to operate the site, "
           "remember your preferences, and understand how our services are used. Some of these technologies are "
           "strictly necessary; others are used only with your consent where required by law.", FPC, TPS, COOK),
         P('You can manage your cookie preferences at any time through the "Cookie Settings" link in the footer of '
           "every page, or by adjusting your browser settings.", UCC, COOK)),
        (P("We use the following categories of cookies:", FPC, TPS, COOK, items=(
            "Strictly necessary cookies, which are required for the site to function;",
            "Functional cookies, which remember choices you make;",
            "Analytics cookies, which help us understand how visitors interact with the site; and",
            "Advertising cookies, which are set by our advertising partners to show you relevant ads.")),),
        (P("Cookies are small files placed on your device. In addition to cookies, we may use local storage and "
           "software development kits in our mobile apps. For more detail, please see our Cookie Notice.",
           FPC, COOK),),
    )),
    Slot("analytics", ("Analytics", "Web Analytics Services"), 3, _d(2009), ALWAYS[1], (
        (P("We use Google Analytics to collect information about how visitors use our site. Google Analytics uses "
           "cookies to collect information such as how often users visit and what pages they view. You can prevent "
           "Google Analytics from recognizing you on return visits by installing the Google Analytics Opt-out "
           "Browser Add-on.", TPS, UCC, COOK),),
        (P("We work with third-party analytics providers who use cookies and similar technologies to collect "
           "aggregate information about site usage. These providers may collect your IP address and information "
           "about your browser, but they are not permitted to use this information for their own purposes.",
           TPS, COOK),),
    )),
    Slot("ads", ("Interest-Based Advertising", "Online Advertising"), 3, _d(2010), ALWAYS[1], (
        (P("We allow third-party advertising networks to serve ads on our site. These companies may use cookies and "
           "web beacons to collect information about your visits to this and other websites in order to provide "
           "advertisements about goods and services of interest to you.", TPS, COOK),
         P("Many of these companies are members of the Network Advertising Initiative (NAI) and adhere to the "
           "Digital Advertising Alliance (DAA) Self-Regulatory Principles for Online Behavioral Advertising. To opt "
           "out of interest-based advertising from participating companies, visit "
           "www.networkadvertising.org/choices or www.aboutads.info/choices.", TPS, UCC, SRO)),
        (P("Our advertising partners may use information about your browsing activity over time and across "
           "different websites to deliver ads tailored to your interests. You may see the AdChoices icon on ads "
           "that use this kind of information. We adhere to the DAA Self-Regulatory Principles, and you can opt "
           "out by visiting the DAA consumer choice page at www.aboutads.info.", TPS, UCC, SRO),),
    ), needs="ads"),
    Slot("dnt", ("Do Not Track", "Do Not Track Signals", "How We Respond to Do Not Track Signals"), 2,
         _d(2014), ALWAYS[1], (
        (P('Some web browsers offer a "Do Not Track" feature that signals to websites that you do not want your '
           "online activity tracked. Because there is not yet a common understanding of how to interpret such "
           "signals, our website does not currently respond to Do Not Track signals.", DNT, DNTM),),
        (P("We honor Do Not Track browser signals. When we detect a Do Not Track signal, we disable third-party "
           "analytics and advertising cookies for your visit.", DNT, DNTM, COOK),),
        (P('California law requires us to disclose how we respond to web browser "Do Not Track" signals. At this '
           "time, no uniform technology standard exists for recognizing and implementing DNT signals, so we do not "
           "respond to them. Third parties may still collect information about your online activities over time "
           "and across different websites.", DNT, DNTM, CAL, TPS),),
    )),
    Slot("sharing", ("Information Sharing", "Sharing Your Information", "Disclosure of Information to Third Parties"),
         2, *ALWAYS, (
        (P("We do not sell, rent or trade your personal information to third parties for their marketing purposes. "
           "We share personal information only as described below.", TPS),
         P("We may disclose information:", TPS, items=(
            "to service providers who perform functions on our behalf, such as payment processing, order "
            "fulfilment and e-mail delivery;",
            "if required to do so by law or in response to a subpoena or court order;",
            "to protect the rights, property or safety of {company}, our customers or others; and",
            "in connection with a merger, acquisition or sale of all or a portion of our assets."))),
        (P("We may share your information with trusted partners who help us operate our website and conduct our "
           "business, as long as those parties agree to keep this information confidential. We may also release "
           "information when we believe release is appropriate to comply with the law.", TPS),),
        (P("From time to time we may share your name and postal address with carefully selected companies whose "
           "products may interest you. If you prefer that we not share your information in this way, please let "
           "us know using the contact details below.", TPS, UCC),),
    )),
    Slot("choice", ("Your Choices", "Opting Out", "Choice and Opt-Out"), 2, *ALWAYS, (
        (P("You may opt out of receiving promotional e-mails from us by following the unsubscribe link included in "
           "each message or by updating your account preferences. Even if you opt out, we may still send you "
           "messages about your orders and your account.", UCC),),
        (P("If you no longer wish to receive our newsletter or marketing communications, reply to any of our "
           'e-mails with the word "unsubscribe" or write to us at {email}.', UCC),),
        (P("You can choose not to provide certain information, but then you might not be able to take advantage "
           "of some of our features. You can also turn off marketing messages at any time from the Notifications "
           "page of your account.", UCC, FPC),),
    )),
    Slot("access", ("Accessing and Updating Your Information", "Reviewing and Correcting Your Information",
                    "Your Account Information"), 2, *ALWAYS, (
        (P("You can review and update your account information at any time by signing in to your account and "
           "visiting the My Account page.", UAED),),
        (P("If you would like to access, correct or delete the personal information we hold about you, please "
           "contact us at {email}. We will respond to your request within a reasonable time.", UAED),),
        (P("You may request deletion of your account by contacting customer support. We will delete your personal "
           "information from our active databases, although some information may remain in backup copies for a "
           "limited period.", UAED, RET),),
    )),
    Slot("security", ("Security", "Data Security", "How We Protect Your Information"), 2, *ALWAYS, (
        (P("We use industry-standard Secure Sockets Layer (SSL) encryption to protect sensitive information, such "
           "as credit card numbers, during transmission. Access to personal information is limited to employees "
           "who need it to perform their jobs.", SEC),),
        (P("We maintain reasonable administrative, technical and physical safeguards designed to protect personal "
           "information against loss, theft and unauthorized access. However, no method of transmission over the "
           "Internet or electronic storage is completely secure, and we cannot guarantee absolute security.", SEC),),
        (P("Your account is protected by a password for your privacy and security. Please choose a strong "
           "password, do not share it with anyone, and sign out when you are finished using a shared computer.",
           SEC),),
    )),
    Slot("retention", ("Data Retention", "How Long We Keep Your Information"), 2, _d(2012), ALWAYS[1], (
        (P("We retain personal information for as long as your account is active or as needed to provide you with "
           "our services, comply with our legal obligations, resolve disputes and enforce our agreements.", RET),),
        (P("Server logs are kept for up to 90 days. Order records are retained for seven years to meet tax and "
           "accounting requirements, after which they are securely deleted or anonymized.", RET),),
    )),
    Slot("safe_harbor", ("Safe Harbor", "International Transfers"), 2, FIRST_DAY, _d(2015, 12, 31), (
        (P("{company} complies with the U.S.-EU Safe Harbor Framework as set forth by the U.S. Department of "
           "Commerce regarding the collection, use and retention of personal information from European Union "
           "member countries. We have certified that we adhere to the Safe Harbor Privacy Principles of notice, "
           "choice, onward transfer, security, data integrity, access and enforcement.", ISA, SH),),
        (P("Information collected through this site may be transferred to and processed in the United States. "
           "{company} participates in the U.S.-EU and U.S.-Swiss Safe Harbor programs. To learn more about Safe "
           "Harbor, please visit export.gov/safeharbor.", ISA, SH),),
    ), needs="intl"),
    Slot("privacy_shield", ("Privacy Shield", "International Data Transfers"), 2, _d(2016, 8, 1),
         _d(2020, 12, 31), (
        (P("{company} participates in and has certified its compliance with the EU-U.S. Privacy Shield Framework. "
           "We are committed to subjecting all personal data received from European Union member countries in "
           "reliance on the Privacy Shield Framework to the Framework's applicable Principles. To learn more, "
           "visit the Department of Commerce's Privacy Shield List at www.privacyshield.gov.", ISA, PS),),
        (P("We comply with the EU-U.S. and Swiss-U.S. Privacy Shield Frameworks. With respect to personal data "
           "received or transferred pursuant to the Privacy Shield, {company} is subject to the investigatory and "
           "enforcement powers of the U.S. Federal Trade Commission. In certain situations, you may invoke binding "
           "arbitration.", ISA, PS),),
    ), needs="intl"),
    Slot("scc", ("International Data Transfers",), 2, _d(2021), _d(2023, 7, 9), (
        (P("Following the July 2020 decision of the Court of Justice of the European Union, we no longer rely on "
           "the EU-U.S. Privacy Shield for transfers of personal data. We instead rely on the Standard Contractual "
           "Clauses approved by the European Commission.", ISA, GDPR, PS),),
        (P("When we transfer personal data outside the European Economic Area, we use appropriate safeguards such "
           "as the European Commission's Standard Contractual Clauses.", ISA, GDPR),),
    ), needs="intl"),
    Slot("dpf", ("Data Privacy Framework", "International Data Transfers"), 2, _d(2023, 7, 10), ALWAYS[1], (
        (P("{company} complies with the EU-U.S. Data Privacy Framework (EU-U.S. DPF), the UK Extension to the "
           "EU-U.S. DPF, and the Swiss-U.S. Data Privacy Framework as set forth by the U.S. Department of "
           "Commerce. If there is any conflict between this policy and the DPF Principles, the Principles shall "
           "govern. To learn more, visit www.dataprivacyframework.gov.", ISA, DPF),),
        (P("We have self-certified to the Data Privacy Framework program operated by the U.S. Department of "
           "Commerce and rely on it for transfers of personal data from the EU, the United Kingdom and "
           "Switzerland to the United States.", ISA, DPF),),
    ), needs="intl"),
    Slot("gdpr_basis", ("Legal Basis for Processing", "Information for Users in the EEA and UK"), 2,
         _d(2018, 5, 25), ALWAYS[1], (
        (P("If you are located in the European Economic Area or the United Kingdom, we process your personal data "
           "only when we have a legal basis to do so, such as: to perform a contract with you, with your consent, "
           "to comply with a legal obligation, or for our legitimate interests, provided those interests are not "
           "overridden by your rights.", FPC, ISA, GDPR),),
        (P("We rely on the following legal bases under the General Data Protection Regulation (GDPR):",
           FPC, ISA, GDPR, items=(
            "Contract: to provide the products and services you request.",
            "Consent: for marketing e-mails and non-essential cookies, which you may withdraw at any time.",
            "Legitimate interests: to secure and improve our services.",
            "Legal obligation: to keep records required by tax law.")),),
    ), needs="eu"),
    Slot("gdpr_rights", ("Your Rights", "Your Data Protection Rights"), 3, _d(2018, 5, 25), ALWAYS[1], (
        (P("Under the GDPR you have the right to:", UAED, ISA, GDPR, items=(
            "access the personal data we hold about you;", "request correction of inaccurate data;",
            "request erasure of your data;", "object to or restrict our processing;",
            "receive your data in a portable format; and",
            "lodge a complaint with your local supervisory authority.")),),
        (P("Residents of the EEA and the UK may request access to, rectification, erasure or portability of their "
           "personal data, and may object to processing based on legitimate interests. To exercise these rights, "
           "contact our Data Protection Officer at {email}. You also have the right to complain to a data "
           "protection authority.", UAED, ISA, GDPR),),
    ), needs="eu"),
    Slot("shine_the_light", ("Your California Privacy Rights",), 2, FIRST_DAY, _d(2019, 12, 31), (
        (P("California Civil Code Section 1798.83 permits our customers who are California residents to request "
           "certain information regarding our disclosure of personal information to third parties for their "
           "direct marketing purposes. To make such a request, please write to us at {email}.", TPS, ISA, CAL),),
    ), needs="us"),
    Slot("ccpa", ("California Privacy Rights", "Notice to California Residents"), 2, _d(2020), _d(2022, 12, 31), (
        (P("If you are a California resident, the California Consumer Privacy Act (CCPA) gives you the right to "
           "know what personal information we collect, use and disclose, the right to request deletion, and the "
           "right not to be discriminated against for exercising these rights.", UAED, ISA, CAL),
         P('We do not sell personal information for money, but some of our advertising practices may be considered '
           'a "sale" under the CCPA. You can opt out by clicking the "Do Not Sell My Personal Information" link at '
           "the bottom of our homepage.", TPS, UCC, CAL)),
        (P("California residents may request that we:", UAED, UCC, ISA, CAL, items=(
            "disclose the categories and specific pieces of personal information we have collected;",
            "delete personal information we collected from them; and",
            'stop selling their personal information ("Do Not Sell My Personal Information").')),
         P("We will verify your request by matching the information you provide with the information we have on "
           "file. You may also designate an authorized agent to make a request on your behalf.", UAED, CAL)),
    ), needs="us"),
    Slot("cpra", ("California Privacy Rights", "Notice to California Residents"), 2, _d(2023), ALWAYS[1], (
        (P("Under the California Consumer Privacy Act as amended by the California Privacy Rights Act (CPRA), "
           "California residents have the right to know, delete and correct their personal information, and to "
           "limit the use of sensitive personal information.", UAED, ISA, CAL),
         P('You may opt out of the "sale" or "sharing" of your personal information for cross-context behavioral '
           'advertising by using the "Do Not Sell or Share My Personal Information" link. We also treat Global '
           "Privacy Control (GPC) signals as a valid opt-out request.", TPS, UCC, CAL)),
        (P("California residents have the following rights:", UAED, UCC, ISA, CAL, items=(
            "Right to know what personal information we collect and how it is used and shared;",
            "Right to delete and right to correct personal information;",
            "Right to opt out of the sale or sharing of personal information;",
            "Right to limit the use and disclosure of sensitive personal information; and",
            "Right to non-discrimination for exercising these rights.")),
         P("We do not knowingly sell or share the personal information of consumers under 16 years of age.",
           TPS, ISA, CAL, KIDS)),
    ), needs="us"),
    Slot("children", ("Children's Privacy", "Children Under 13", "Information from Children"), 2, *ALWAYS, (
        (P("Our website is not directed to children under the age of 13, and we do not knowingly collect personal "
           "information from children under 13. If we learn that we have collected such information, we will "
           "delete it promptly.", ISA, KIDS),),
        (P("In accordance with the Children's Online Privacy Protection Act (COPPA), we do not knowingly collect "
           "information from children under 13 without verifiable parental consent. Parents who believe their "
           "child has provided us with information may contact us to have it removed.", ISA, KIDS, UAED),),
    )),
    Slot("children_detail", ("Parental Consent", "Information for Parents"), 3, *ALWAYS, (
        (P("Some areas of our site are designed for younger players. Before a child under 13 can create an "
           "account, we ask for a parent's e-mail address and obtain verifiable parental consent as required by "
           "COPPA. Parents may review their child's information, request its deletion, and refuse further "
           "collection at any time.", ISA, KIDS, FPC, UAED),),
        (P("Players under 13 can only chat using pre-approved phrases, and we do not display their real names or "
           "photos. We collect only the information reasonably necessary for a child to participate in a game, "
           "and we never show interest-based ads to children.", ISA, KIDS, FPC, TPS),),
    ), needs="kids"),
    Slot("seal", ("TRUSTe Certification", "Privacy Seal"), 2, FIRST_DAY, _d(2016, 12, 31), (
        (P("{company} is a licensee of the TRUSTe Privacy Program. TRUSTe is an independent organization whose "
           "mission is to build trust and confidence in the Internet by promoting the use of fair information "
           "practices. If you have questions or concerns regarding this statement, you should first contact us; "
           "if you do not receive a satisfactory response, you may contact the TRUSTe Watchdog Dispute "
           "Resolution Process.", OTH, SRO),),
        (P("This website has been awarded TRUSTe's Privacy Seal, signifying that this privacy policy and our "
           "practices have been reviewed by TRUSTe for compliance with TRUSTe's program requirements.", OTH, SRO),),
    ), needs="seal"),
    Slot("seal_trustarc", ("Privacy Certification",), 2, _d(2017), ALWAYS[1], (
        (P("We participate in the TRUSTe (now TrustArc) privacy certification program. If you have an unresolved "
           "privacy complaint, please contact TrustArc's dispute resolution service at feedback-form.truste.com.",
           OTH, SRO),),
    ), needs="seal"),
    Slot("changes", ("Changes to This Policy", "Changes to Our Privacy Policy", "Policy Updates"), 2, *ALWAYS, (
        (P("We may update this Privacy Policy from time to time. If we make material changes, we will notify you "
           "by e-mail or by posting a notice on our home page prior to the change becoming effective.", CHG),),
        (P("We reserve the right to change this policy at any time. Any changes will be posted on this page, so "
           "please check back periodically. Your continued use of the site after changes are posted constitutes "
           "your acceptance of the revised policy.", CHG),),
        (P('When we change this statement, we will revise the "last updated" date. We encourage you to review '
           "this policy whenever you visit our website.", CHG),),
    )),
    Slot("contact", ("Contact Us", "Questions?", "How to Contact Us"), 2, *ALWAYS, (
        (P("If you have any questions about this Privacy Policy, please contact us at {email} or write to: "
           "{company}, Attn: Privacy Office, {address}.", OTH),),
        (P("Questions, comments and requests regarding this policy are welcome and should be addressed to "
           "{email}.", OTH),),
    )),
)


@dataclass(frozen=True)
class Site:
    """A fictional site; ``extras`` picks which awkward records it contributes."""

    site_id: str
    name: str
    company: str
    start: date
    features: tuple[str, ...]
    policy_paths: tuple[str, ...]
    nav: tuple[str, ...]
    tagline: str
    address: str
    date_phrase: str
    date_at_top: bool = True
    smart_quotes: bool = False
    extras: tuple[str, ...] = ()

    @property
    def base(self) -> str:
        return f"http://www.{self.site_id}.example"


SITES: tuple[Site, ...] = (
    Site("acme-widgets", "Acme Widgets", "Acme Widgets, Inc.", date(2005, 4, 12), ("us", "intl", "eu", "seal"),
         ("/privacy.html", "/legal/privacy"), ("Products", "Support", "About Us", "Contact"),
         "Quality widgets and sprockets since 1998.", "1200 Industrial Way, Dayton, OH 45402",
         "Last updated: {}", extras=("move", "home")),
    Site("belair-outfitters", "Bélair Outfitters", "Bélair Outfitters Ltée", date(2005, 2, 21), ("eu", "seal"),
         ("/privacy.htm",), ("Boutique", "Expéditions", "À propos", "Contact"),
         "Gear for the great outdoors, from Québec to the world.", "45 rue Saint-Paul, Québec QC G1K 3V8",
         "Effective date: {}", smart_quotes=True, extras=("cp1252",)),
    Site("bluefin-news", "Bluefin Daily", "Bluefin Media Group LLC", date(2007, 9, 3), ("us", "ads", "eu"),
         ("/privacy-policy",), ("World", "Business", "Sports", "Opinion"),
         "Independent news from the coast.", "88 Harbor Street, Portland, ME 04101",
         "This policy was last revised on {}.", date_at_top=False, extras=("404",)),
    Site("pixelpeak-games", "PixelPeak Games", "PixelPeak Interactive, Inc.", date(2009, 6, 15),
         ("us", "kids", "intl", "eu", "ads"), ("/legal/privacy",), ("Games", "Community", "Support", "Parents"),
         "Free puzzle and adventure games for the whole family.", "500 Market Street, San Francisco, CA 94105",
         "Last Updated: {}", extras=("home",)),
    Site("northwind-travel", "Northwind Travel", "Northwind Travel Co.", date(2006, 11, 2), ("us", "intl", "eu"),
         ("/about/privacy",), ("Flights", "Hotels", "Deals", "Help"),
         "Book flights and hotels worldwide.", "210 Lakeshore Drive, Chicago, IL 60611",
         "Effective as of {}", date_at_top=False, extras=("revisit",)),
)


@dataclass(frozen=True)
class Version:
    """One policy text: ``blocks`` are (heading, level, paragraphs) with placeholders already filled."""

    no: int
    stated: date
    date_line: str
    blocks: tuple[tuple[str | None, int, tuple[Para, ...]], ...]


@dataclass
class Record:
    """One WARC record to write plus its ground-truth row."""

    at: datetime
    url: str
    kind: str
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    version: Version | None = None
    location: str | None = None
    refers_to: Record | None = None
    starts_new_version: bool = False


def _long_date(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _smarten(text: str) -> str:
    """Typographic quotes, as pasted from a word processor (drives the windows-1252 case)."""
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append("\u2019" if ch == "'" else ch)
    return "".join(out)


def _fill(site: Site, text: str) -> str:
    host = site.base.removeprefix("http://")
    text = text.format(company=site.company, site=site.name, domain=host, email=f"privacy@{site.site_id}.example",
                       address=site.address)
    return _smarten(text) if site.smart_quotes else text


def _applies(slot: Slot, site: Site, day: date) -> bool:
    return slot.since <= day <= slot.until and (slot.needs is None or slot.needs in site.features)


def _version_dates(site: Site, rng: random.Random) -> list[date]:
    """Version dates cluster on regulatory milestones because that is when real policies changed."""
    n = rng.randint(4, 7)
    milestones = sorted({s.since for s in SLOTS if s.needs in (None, *site.features)
                         and s.since > site.start + timedelta(days=200)})
    # GDPR, CCPA and the newest applicable rule are the updates nearly every real policy got.
    must = [m for m in milestones if m in (date(2018, 5, 25), date(2020, 1, 1)) or m == milestones[-1]]
    rest = [m for m in milestones if m not in must]
    span = (LAST_VERSION_DAY - site.start).days
    for _ in range(1000):
        chosen = must + rng.sample(rest, min(n - 1 - len(must), len(rest)))
        picks = [m + timedelta(days=rng.randint(0, 60)) for m in chosen]
        while len(picks) < n - 1:
            picks.append(site.start + timedelta(days=rng.randint(150, span)))
        days = sorted([site.start, *picks])
        if days[-1] <= LAST_VERSION_DAY and all((b - a).days >= 150 for a, b in zip(days, days[1:], strict=False)):
            return days
    raise RuntimeError(f"could not place versions for {site.site_id}")


def _make_versions(site: Site, rng: random.Random) -> list[Version]:
    """Build each version from the slots active at its date; each revision also rewords 1-2 sections."""
    alt = {s.key: rng.randrange(len(s.alts)) for s in SLOTS}
    heading = {s.key: rng.choice(s.headings) for s in SLOTS}
    versions: list[Version] = []
    for no, day in enumerate(_version_dates(site, rng), start=1):
        active = [s for s in SLOTS if _applies(s, site, day)]
        revisable = [s for s in active if len(s.alts) > 1]
        rewordings = rng.randint(1, 2) if versions else 0
        while True:
            for s in rng.sample(revisable, rewordings):
                alt[s.key] = (alt[s.key] + rng.randrange(1, len(s.alts))) % len(s.alts)
            blocks = tuple(
                (_fill(site, heading[s.key]) if heading[s.key] else None, s.level,
                 tuple(replace(p, text=_fill(site, p.text), items=tuple(_fill(site, i) for i in p.items))
                       for p in s.alts[alt[s.key]]))
                for s in active)
            # Guarantees the text really changes even when no era boundary falls between versions.
            if not versions or blocks != versions[-1].blocks:
                break
            rewordings = 1
        versions.append(Version(no, day, site.date_phrase.format(_long_date(day)), blocks))
    return versions


def _paragraphs(site: Site, v: Version) -> list[tuple[str | None, str, tuple[str, ...]]]:
    """(heading, text, practices) in document order, exactly as rendered."""
    out: list[tuple[str | None, str, tuple[str, ...]]] = []
    current: str | None = None
    if site.date_at_top:
        out.append((None, v.date_line, ()))
    for head, _level, paras in v.blocks:
        current = head or current
        for p in paras:
            out.append((current, p.text, p.practices))
            out.extend((current, item, p.practices) for item in p.items)
    if not site.date_at_top:
        out.append((current, v.date_line, ()))
    return out


# --- HTML rendering -----------------------------------------------------------------------
def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _policy_body(site: Site, v: Version, layout: int) -> str:
    date_html = f'<p class="last-updated"><em>{_e(v.date_line)}</em></p>'
    parts = ["<h1>Privacy Policy</h1>" if layout < 3 else '<h1 class="page-title">Privacy Policy</h1>']
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


def _home_body(site: Site) -> str:
    return (f"<h1>Welcome to {_e(site.name)}</h1>\n<p>{_e(site.tagline)}</p>\n<h2>Featured this week</h2>\n"
            f"<ul>\n  <li><a href=\"/{site.nav[0].lower()}/new\">New arrivals</a></li>\n"
            "  <li><a href=\"/offers\">Seasonal offers</a></li>\n"
            "  <li><a href=\"/blog\">From our blog</a></li>\n</ul>\n"
            "<p>Sign up for our newsletter to hear about new products and special offers. We respect your inbox "
            "and you can unsubscribe at any time.</p>")


def _page(site: Site, layout: int, year: int, title: str, content: str, privacy_path: str,
          declare_charset: bool = True) -> str:
    """Wrap content in one of four period templates; boilerplate varies by capture year."""
    t = f"{_e(title)} - {_e(site.name)}"
    co = _e(site.company)
    # URL slugs stay ASCII even when the menu labels are French.
    slug = [unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode().lower().replace(" ", "-")
            for n in site.nav]
    navs = [(f"/{s}", _e(n)) for s, n in zip(slug, site.nav, strict=True)]
    banner = ""
    if year >= 2013:
        banner = ('<div id="cookie-banner" class="cookie-consent" role="dialog">'
                  '<p>We use cookies to give you the best experience on our website. By continuing to browse, you '
                  f'agree to our use of cookies. <a href="{privacy_path}">Learn more</a></p>'
                  '<button type="button" class="accept">Accept</button></div>')
    ccpa = ('<li><a href="/do-not-sell">Do Not Sell My Personal Information</a></li>'
            if year >= 2020 and "us" in site.features else "")
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


def _error_body(status: int, path: str, location: str | None) -> bytes:
    if status == 301:
        text = (f'<html><head><title>301 Moved Permanently</title></head><body>\n<h1>Moved Permanently</h1>\n'
                f'<p>The document has moved <a href="{location}">here</a>.</p>\n</body></html>\n')
    else:
        text = (f"<html><head><title>404 Not Found</title></head><body>\n<h1>Page not found</h1>\n"
                f"<p>The requested URL {path} was not found on this server.</p>\n</body></html>\n")
    return text.encode("ascii")


# --- capture planning ---------------------------------------------------------------------
def _capture_times(versions: list[Version], n: int, rng: random.Random) -> list[datetime]:
    """One capture early in every version (so each is observed), the rest spread uniformly."""
    days: set[int] = set()
    for i, v in enumerate(versions):
        room = (versions[i + 1].stated - v.stated).days - 1 if i + 1 < len(versions) else 120
        days.add(v.stated.toordinal() + rng.randint(3, min(75, room)))
    while len(days) < n:
        days.add(rng.randint(versions[0].stated.toordinal() + 3, LAST_DAY.toordinal()))
    return [datetime.combine(date.fromordinal(d), datetime.min.time(), UTC)
            + timedelta(seconds=rng.randint(0, 86399)) for d in sorted(days)]


def _plan_site(site: Site, rng: random.Random) -> list[Record]:
    versions = _make_versions(site, rng)
    times = _capture_times(versions, rng.randint(16, 32), rng)
    vers = [max((v for v in versions if v.stated < t.date()), key=lambda v: v.no) for t in times]

    # Redesigns happen mid-version so that the truth has markup-only changes to detect.
    base_layout = 0 if site.start.year < 2009 else 1
    mid_version = [j for j in range(1, len(times)) if vers[j] is vers[j - 1]]
    redesigns = sorted(rng.sample(mid_version, min(rng.randint(1, 2), 3 - base_layout, len(mid_version))))
    move_at = rng.randrange(len(times) // 3, 2 * len(times) // 3) if "move" in site.extras else len(times)

    def privacy_path(j: int) -> str:
        return site.policy_paths[-1] if j >= move_at else site.policy_paths[0]

    records: list[Record] = []
    layout_at: list[int] = []
    for j, (t, v) in enumerate(zip(times, vers, strict=True)):
        layout = base_layout + sum(1 for r in redesigns if r <= j)
        layout_at.append(layout)
        cp1252 = j == 0 and "cp1252" in site.extras
        kind = "windows1252" if cp1252 else "markup_change" if j in redesigns else "policy"
        page = _page(site, layout, t.year, "Privacy Policy", _policy_body(site, v, layout), privacy_path(j),
                     declare_charset=not cp1252)
        body = page.encode("cp1252") if cp1252 else page.encode("utf-8")
        url = site.base + privacy_path(j)
        if j == move_at:
            # The crawler asks for the old URL first and follows the redirect seconds later.
            records.append(Record(t - timedelta(seconds=rng.randint(2, 40)), site.base + site.policy_paths[0],
                                  "redirect", 301, location=url,
                                  body=_error_body(301, site.policy_paths[0], url),
                                  content_type="text/html; charset=iso-8859-1"))
        records.append(Record(t, url, kind, 200, body, "text/html" if cp1252 else "text/html; charset=utf-8", v))

    policy = list(records)
    gaps = [j for j in range(1, len(times)) if (times[j] - times[j - 1]).days >= 10]
    if "404" in site.extras:
        j = rng.choice(gaps)
        t = times[j - 1] + (times[j] - times[j - 1]) / 2
        records.append(Record(t.replace(microsecond=0), site.base + privacy_path(j - 1), "not_found", 404,
                              _error_body(404, privacy_path(j - 1), None), "text/html; charset=iso-8859-1"))
    if "home" in site.extras:
        for j in sorted(rng.sample(range(1, len(times)), 2)):
            t = times[j] - timedelta(hours=rng.randint(1, 20))
            page = _page(site, layout_at[j - 1], t.year, "Home", _home_body(site), privacy_path(j - 1))
            records.append(Record(t, site.base + "/", "non_policy", 200, page.encode("utf-8")))
    if "revisit" in site.extras:
        candidates = []
        for j in gaps:
            orig = next(r for r in policy if r.at == times[j - 1])
            later = times[j - 1] + timedelta(days=5)
            nxt = [v.stated for v in versions if v.stated > times[j - 1].date()]
            if orig.kind == "policy" and later.year == times[j - 1].year and (not nxt or nxt[0] > later.date()):
                candidates.append((later, orig))
        later, orig = rng.choice(candidates)
        records.append(Record(later + timedelta(seconds=rng.randint(0, 3600)), orig.url, "revisit", 200,
                              orig.body, orig.content_type, orig.version, refers_to=orig))

    records.sort(key=lambda r: r.at)
    seen: set[int] = set()
    for r in records:
        if r.version is not None and r.version.no not in seen:
            seen.add(r.version.no)
            r.starts_new_version = True
    return records


# --- writers ------------------------------------------------------------------------------
def _digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _warc_date(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _server(year: int) -> str:
    return ("Apache/2.0.59 (Unix)" if year < 2009 else "Apache/2.2.22 (Ubuntu)" if year < 2015
            else "nginx/1.10.3" if year < 2020 else "nginx")


def _write_warc(path: Path, records: list[Record]) -> None:
    reasons = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.0")
    for r in records:
        headers = [("Date", format_datetime(r.at, usegmt=True)), ("Server", _server(r.at.year))]
        if r.location:
            headers.append(("Location", r.location))
        headers += [("Content-Type", r.content_type), ("Content-Length", str(len(r.body)))]
        http = StatusAndHeaders(f"{r.status} {reasons[r.status]}", headers, protocol="HTTP/1.1")
        rtype = "revisit" if r.refers_to else "response"
        digest = _digest(r.body)
        # Content-derived IDs keep the file byte-identical across runs.
        rid = uuid.uuid5(uuid.NAMESPACE_URL, f"{rtype}|{r.url}|{_warc_date(r.at)}|{digest}")
        warc_headers = {"WARC-Record-ID": f"<urn:uuid:{rid}>", "WARC-Date": _warc_date(r.at)}
        if r.refers_to:
            rec = writer.create_revisit_record(r.url, digest, r.refers_to.url, _warc_date(r.refers_to.at),
                                               http_headers=http, warc_headers_dict=warc_headers)
        else:
            rec = writer.create_warc_record(r.url, "response", payload=io.BytesIO(r.body), length=len(r.body),
                                            http_headers=http, warc_headers_dict=warc_headers)
        writer.write_record(rec)
    path.write_bytes(buf.getvalue())


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # JSON string escapes are valid TOML basic strings


def _write_sources(path: Path) -> None:
    lines = []
    for s in SITES:
        urls = ", ".join(_toml_str(s.base + p) for p in s.policy_paths)
        lines += ["[[site]]", f"id = {_toml_str(s.site_id)}", f"name = {_toml_str(s.name)}",
                  f"policy_urls = [{urls}]", f"homepage = {_toml_str(s.base + '/')}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_sample(out_dir: Path, seed: int = 7) -> SampleFiles:
    """Write the sample WARC, ``sources.toml`` and both ground-truth files into ``out_dir``.

    Output is a pure function of ``seed``: no clock, network or hash-order dependence.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = SampleFiles(out_dir / "sample.warc.gz", out_dir / "sources.toml",
                        out_dir / "truth_captures.csv", out_dir / "truth_paragraphs.jsonl")
    plans = [(site, _plan_site(site, random.Random(f"{seed}:{site.site_id}"))) for site in SITES]
    records = [r for _, recs in plans for r in recs]
    _write_warc(files.warc, records)
    _write_sources(files.sources)

    with files.truth_captures.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["site_id", "url", "captured_at", "status", "kind", "is_policy", "version_no",
                    "starts_new_version", "stated_date"])
        for site, recs in plans:
            for r in recs:
                v = r.version
                w.writerow([site.site_id, r.url, _warc_date(r.at), r.status, r.kind, str(v is not None).lower(),
                            v.no if v else "", str(r.starts_new_version).lower(), v.stated.isoformat() if v else ""])

    with files.truth_paragraphs.open("w", encoding="utf-8", newline="\n") as fh:
        for site, recs in plans:
            versions = sorted({r.version.no: r.version for r in recs if r.version}.items())
            for _, v in versions:
                for pos, (head, text, practices) in enumerate(_paragraphs(site, v)):
                    row = {"site_id": site.site_id, "version_no": v.no, "position": pos, "heading": head,
                           "text": text, "practices": list(practices)}
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return files


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m pipelines.sample OUT_DIR [SEED]``."""
    args = sys.argv[1:] if argv is None else argv
    if not args or len(args) > 2:
        print("usage: python -m pipelines.sample OUT_DIR [SEED]", file=sys.stderr)
        return 2
    files = write_sample(Path(args[0]), int(args[1]) if len(args) > 1 else 7)
    for p in (files.warc, files.sources, files.truth_captures, files.truth_paragraphs):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
