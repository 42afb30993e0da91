"""Practice tagging: the OPP-115 categories and modern regulatory markers, each with a score and a cue.

The default tagger is a rule set written in this project (no third-party data inside). Each rule is a
regular expression whose first match is reported as the cue, so every tag can be explained.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import re2

OPP115_CATEGORIES: tuple[str, ...] = (
    "First Party Collection/Use",
    "Third Party Sharing/Collection",
    "User Choice/Control",
    "User Access, Edit and Deletion",
    "Data Retention",
    "Data Security",
    "Policy Change",
    "Do Not Track",
    "International and Specific Audiences",
    "Other",
)
MARKERS: tuple[str, ...] = (
    "cookies",
    "children",
    "california",
    "gdpr",
    "safe_harbor",
    "privacy_shield",
    "data_privacy_framework",
    "self_regulatory",
    "do_not_track",
)

RULES_VERSION = "0.4.0"


@dataclass(frozen=True)
class Tag:
    category: str
    score: float
    cue: str


class Tagger(Protocol):
    name: str
    version: str

    def tag_batch(self, texts: Sequence[str]) -> list[list[Tag]]: ...


# The lexicon: per category, (weight, pattern) cues. A segment's score for a category is the noisy-or of the
# weights of the distinct cues that match (1 - prod(1 - w)), so one strong cue or several weak ones fire it;
# the category is tagged when the score reaches FIRE_AT. Weights say how specific a cue is, set by hand while
# reading OPP-115 dev segments, not learned. Patterns are case-insensitive; `(?-i:...)` marks acronyms.
FIRE_AT = 0.5
_W = r"(?:[\w'-]+,? ){0,%d}"  # up to N filler words between a verb and its object


def _gap(n: int) -> str:
    return _W % n


_INFO = (
    r"(?:personal(?:ly identifiable)? |contact |account |your |the |this |such |any |that |certain )*"
    r"(?:information|data|details|pii)"
)
_COMPANY_SHARE = (
    r"(?:third[- ]part|partners?|affiliat|service providers?|vendors?|advertis|sponsors?|other compan|companies|"
    r"subsidiar|government|authorit|law enforcement|outside|business(?:es)?|merchants?|carriers?|agents?|"
    r"issuers?|publishers?|providers?|franchis|lenders?|banks?|operators|others|persons|organi[sz]ations|entit|"
    r"buyers?|purchasers?|successors?|acquir|research|marketers|(?:credit card|payment|shipping|delivery) )"
)

LEXICON: dict[str, list[tuple[float, str]]] = {
    "First Party Collection/Use": [
        # "We collect / use ...", but not "the information we collect" (a reference to collected data, the object
        # of sharing, storing or protecting) nor "how we use it" (an overview pointing at a section; the section's
        # own heading is a heading cue below).
        (
            0.75,
            r"\bwe(?<!information we)(?<!information that we)(?<!data we)(?<!data that we)(?<!details we)"
            r"(?<!how we)(?<!what we)(?<!why we)(?<!which we)(?<!whether we) "
            r"(?:may |will |also |automatically |might |can |only |do |generally |sometimes |routinely )*"
            r"(?:collect|gather|obtain|receive|record|use|process|ask|request|store|log|track|analy[sz]e|combine|"
            r"retain|require|keep|compile|aggregate|capture|save|maintain|learn)\b"
            r"(?! (?:\w+ )?(?:third[- ]part|outside|other compan|service providers|vendors|advertising compan))",
        ),
        (0.7, r"\b(?:collect|gather|obtain|receive|record|use|process|request)s? " + _gap(3) + _INFO),
        (
            0.5,
            r"\b(?:information|data) (?:that )?(?:we|you) (?:\w+ )?(?:collect|gather|obtain|provide|submit|give|enter)",
        ),
        (0.6, r"\bcollect(?:s|ed|ing|ion)?\b"),
        (0.6, r"\b(?:is|are|be|may be) (?:used|utili[sz]ed) (?:to|for|by us)\b"),
        (
            0.55,
            r"\b(?:to|we) (?:provide|improve|personali[sz]e|customi[sz]e|send you|contact you|respond to|process your|"
            r"deliver|fulfill|administer|operate|analy[sz]e|understand|communicate|tailor|enhance|verify|"
            r"measure|monitor|prevent fraud)\b",
        ),
        (
            0.55,
            r"\b(?:we|us) (?:\w+ ){0,2}(?:with|your) (?:your )?(?:name|e-?mail|address|phone|birth|credit card|zip)",
        ),
        (
            0.5,
            r"\bwhen you (?:\w+ )?(?:visit|use|register|sign up|create|subscribe|enter|submit|place|make|contact|"
            r"order|purchase|apply|participate|request|provide|log ?in|browse|interact|access|download|call)",
        ),
        (
            0.45,
            r"\b(?:cookies?|web beacons?|pixel tags?|clear gifs?|log files?|ip address(?:es)?|browser type|"
            r"device (?:id|identifier)s?|usage (?:data|information)|server logs?|flash cookies|local storage|"
            r"html ?5|tracking technolog\w*|geolocation|location (?:data|information))\b",
        ),
        (
            0.4,
            r"\b(?:your|the) (?:first and last )?(?:name|e-?mail address|postal address|phone number|telephone number|"
            r"mailing address|credit card|billing (?:address|information)|zip code|date of birth|birth ?date|"
            r"gender|age)\b",
        ),
        (0.3, r"\bpersonal(?:ly identifiable)? information\b"),
        (
            0.6,
            r"\b(?:help|helps|allow|allows|enable|enables|let|lets) us (?:to )?(?:better )?(?:measure|analy[sz]e|"
            r"improve|understand|provide|personali[sz]e|customi[sz]e|deliver|track|remember|recogni[sz]e|tailor)",
        ),
        (0.5, r"\b(?:information|data) (?:about|regarding|on|relating to) (?:your|you|how you|the (?:pages|device))\b"),
        (
            0.3,
            r"\b(?:registration|register|sweepstakes|contests?|surveys?|promotions?|newsletters?|orders?|"
            r"purchases?|account)\b",
        ),
    ],
    "Third Party Sharing/Collection": [
        # Third parties, but not third-party sites one links to (that is the links section: Other).
        (0.65, r"\bthird[- ]part(?:y|ies)\b(?! (?:web ?)?sites?\b| links?\b| platforms?\b| websites?\b)"),
        (
            0.6,
            r"\b(?:share|sharing|shared|disclose[sd]?|disclosing|disclosure|sell|sold|selling|rent|lease|trade|"
            r"transfer(?:red)?|provide[sd]?|give|make available|release)\b "
            + _gap(6)
            + r"(?:with|to) (?:\w+ ){0,3}"
            + _COMPANY_SHARE,
        ),
        (0.6, r"\b(?:share|disclose|sell|rent|trade)[sd]?\b"),
        (
            0.5,
            r"\b(?:affiliat\w+|service providers?|vendors?|contractors?|(?:business |marketing )?partners?|"
            r"advertisers?|sponsors?|subsidiar\w+|agents?|processors?|co-?brand\w*)\b",
        ),
        (
            0.75,
            r"\b(?:law enforcement|subpoenas?|court orders?|legal process|search warrants?|government(?:al)? "
            r"(?:authorit|agenc|request|official)|required by law|comply with (?:\w+ ){0,2}(?:law|legal)|"
            r"legal (?:requirement|obligation|proceeding)s?|protect (?:\w+ ){0,4}(?:rights|property|safety))",
        ),
        (
            0.7,
            r"\b(?:merger|acquisition|acquired|bankruptcy|sale of (?:all|some|substantially|our|the)|"
            r"reorgani[sz]ation|divestiture|change (?:of|in) (?:control|ownership))\b",
        ),
        (
            0.45,
            r"\b(?:google|facebook|twitter|doubleclick|yahoo|microsoft|omniture|adobe|comscore|nielsen|linkedin|"
            r"pinterest|instagram|youtube|paypal|amazon|quantcast|scorecard|atlas|criteo|rubicon|appnexus)\b",
        ),
        (
            0.7,
            r"\b(?:advertising (?:networks?|compan\w+|partners|servers?|providers?)|ad (?:networks?|servers?|"
            r"serving|compan\w+)|network advertis\w+|interest[- ]based|behaviou?ral(?:ly)? (?:advertis|target)\w*|"
            r"targeted (?:ads|advertis\w+)|analytics (?:providers?|services?|compan\w+|tools?))",
        ),
        (
            0.8,
            r"\b(?:do not|does not|don't|doesn't|will not|won't|never|shall not) (?:\w+ ){0,2}(?:sell|share|rent|"
            r"disclose|trade|lease|give)|\b(?:not|never) be (?:\w+ ){0,2}(?:sold|shared|rented|disclosed|traded|"
            r"leased)\b",
        ),
        (0.45, r"\bsocial (?:media|network\w*|plug-?ins?|sharing)\b|\b(?:plug-?ins?|widgets?|like button)\b"),
        (
            0.5,
            r"\b(?:publicly (?:available|posted|displayed|visible|accessible)|public (?:areas?|forums?|profiles?|"
            r"portions?)|bulletin boards?|message boards?|forums?|chat rooms?|blogs?|user content|"
            r"(?:post|posted|posting) (?:\w+ ){0,2}(?:content|comments?|messages?|reviews?))\b",
        ),
        (0.5, r"\b(?:other|these|those|such) (?:\w+ )?(?:companies|parties|entities|organi[sz]ations|businesses)\b"),
        (
            0.35,
            r"\b(?:payment process\w+|credit card process\w+|fulfil\w* (?:orders?|services?)|shipping|"
            r"deliver(?:y|ing) (?:of )?(?:products|orders|packages))\b",
        ),
        # Engaging other companies to do the work: "we use third-party advertising companies to serve ads".
        (
            0.8,
            r"\bwe (?:\w+ )?(?:use|allow|permit|work with|partner with|engage|contract with|employ|hire|retain|"
            r"rely on|let) (?:\w+ ){0,2}(?:third[- ]part\w+|outside|other|analytics|advertising|ad) (?:\w+ )?"
            r"(?:companies|vendors|providers|partners|networks|services|firms|parties|contractors|agencies)\b",
        ),
        # Collection by others on the site: third-party cookies, ad networks, analytics companies.
        (
            0.7,
            r"\b(?:these (?:\w+ )?(?:companies|parties|providers|partners|networks|advertisers|services)|"
            r"third[- ]part(?:y|ies)(?: \w+){0,2}|other (?:companies|parties|websites)|advertisers|(?:our )?partners|"
            r"(?:ad|advertising|analytics) (?:networks?|companies|providers|services)) (?:\w+ ){0,3}(?:collect|gather|"
            r"receive|place|set|access|obtain|track|use (?:cookies|web beacons|their own))\w*",
        ),
        # Posting in public: what a user makes public can be seen and used by anyone.
        (
            0.6,
            r"\b(?:becomes?|made|are|is) public(?:ly available)?\b|\bvisible to (?:other users|others|the public|"
            r"anyone|everyone)|\b(?:collected|seen|read|viewed|accessed|used) (?:and used )?by (?:others|anyone|the "
            r"public)",
        ),
        (
            0.7,
            r"\b(?:the )?law requires|\brequired (?:to do so )?by (?:law|statute|regulation)|\b(?:believe|deem) "
            r"(?:\w+ ){0,3}(?:necessary|required|appropriate) (?:\w+ ){0,3}(?:to|by|under) (?:comply|law|protect|"
            r"respond|enforce|investigate|prevent)",
        ),
    ],
    "User Choice/Control": [
        (0.8, r"\bopt(?:s|ed|ing)?[- ]?(?:out|in)\b|\bopt(?:-out|out)\b"),
        (0.9, r"\bunsubscrib\w*"),  # a choice mechanism wherever it is mentioned
        (0.6, r"\byour (?:choices?|options|preferences|consent)\b"),
        (
            0.6,
            r"\b(?:browser|device|privacy|account|cookie|email|notification) (?:\w+ )?(?:settings?|preferences|"
            r"controls?|options)\b",
        ),
        (
            0.7,
            r"\b(?:disable|block|reject|refuse|decline|delete|remove|turn off|manage|control)\w* "
            + _gap(3)
            + r"(?:cookies|tracking|notifications|location|advertising|ads|emails?)",
        ),
        (
            0.55,
            r"\byou (?:may|can|could|have the (?:option|right|choice|ability)|are able) (?:to )?(?:\w+ ){0,2}"
            r"(?:choose (?:not|whether|which|how|to (?:opt|receive|limit|disable|block|stop))|elect|decline|refuse|"
            r"opt|disable|stop|limit|withdraw|control|change|adjust|set|turn|"
            r"block|manage|request that|tell us|let us know|indicate|object)",
        ),
        (0.5, r"\b(?:choose|decide|elect|prefer) (?:\w+ )?not to\b"),  # "choose to enroll" is no privacy choice
        (0.5, r"\bconsent\w*\b"),
        (0.75, r"\b(?:aboutads\.info|networkadvertising\.org|youronlinechoices|adchoices|optout)\b"),
        (
            0.7,
            r"\b(?:do not|don't|no longer) (?:wish|want|like) (?:\w+ )?to (?:receive|be contacted|have|participate|"
            r"share|provide)",
        ),
        (
            0.5,
            r"\b(?:optional|voluntar\w+|not required to|at your (?:discretion|option)|if you (?:do not|don't) "
            r"(?:want|wish|agree|provide|accept))\b",
        ),
        (
            0.45,
            r"\b(?:you (?:agree|consent|acknowledge|authori[sz]e)|by (?:using|visiting|accessing|submitting|"
            r"providing|registering))\b",
        ),
        (0.4, r"\b(?:preferences?|choices?|permission)\b"),
        # Controls offered rather than demanded: "the ability to block them", "an option to clear cookies".
        (
            0.7,
            r"\b(?:ability|option|choice|opportunity|able|free|right) to (?:\w+ ){0,2}(?:block|disable|reject|refuse|"
            r"decline|delete|clear|manage|control|limit|opt|turn off|remove|withdraw|unsubscribe|stop|adjust|"
            r"disassociate|disconnect|withhold)",
        ),
        (
            0.6,
            r"\b(?:set|configure|adjust|change) (?:\w+ ){0,2}browser|\b(?:clear|erase|disabling|blocking|rejecting)"
            r"\w* (?:\w+ ){0,2}cookies|\bwithout (?:\w+ )?(?:providing|sharing|revealing|giving|disclosing|"
            r"submitting|registering|identifying)",
        ),
        (0.6, r"\b(?:prefer|would rather|would like|wish|want) not to\b"),
    ],
    "User Access, Edit and Deletion": [
        (
            0.7,
            # The user's own access: not others who "have access to" it; preferences and subscriptions are choices.
            r"\b(?:access(?<!unauthorized access)(?<!unauthorised access)(?<!have access)(?<!has access)"
            r"(?<!had access)(?<!gain access)(?<!granting access)|review|update|correct|edit|change|modify|delete|"
            r"remove|erase|rectify|amend|view|deactivate|close|cancel)\w* "
            r"(?:\w+ ){0,3}(?:your|the|any|such|their|my) (?:\w+ ){0,2}(?:information|data|details|account|profile|"
            r"registration|records?)",
        ),
        (
            0.8,
            r"\bright (?:to|of) (?:\w+ ){0,2}(?:access|correct\w*|deletion|erasure|rectification|amend\w*|"
            r"be forgotten|review|obtain a copy)",
        ),
        (
            0.75,
            r"\b(?:request|requests|ask) (?:\w+ ){0,2}(?:access|deletion|correction|removal|copy|that we (?:delete|"
            r"correct|update|remove))",
        ),
        (
            0.45,
            r"\b(?:my account|account settings|profile page|your account|account page|member center|"
            r"account information)\b",
        ),
        (0.5, r"\b(?:inaccura\w+|out of date|up[- ]to[- ]date|incomplete|incorrect|accurate)\b"),
        (0.4, r"\b(?:delet\w+|correct(?:ed|ion|ing)?|updat\w+|edit\w*|remov\w+|accessing)\b"),
        # Other phrasings of the same rights: passive ("can be updated or corrected"), "make changes to your
        # information", "change your e-mail address", "ask us to delete it".
        (
            0.7,
            r"\b(?:can|may|will) be (?:\w+ )?(?:updated|corrected|changed|deleted|edited|removed|modified|reviewed|"
            r"amended)\b|\bmake changes to (?:\w+ ){0,2}(?:information|data|account|profile)|\b(?:change|update|edit|"
            r"correct) your (?:e-?mail|address|password|profile|name|phone|contact)|\b(?:ask|request|want|like|"
            r"prefer) (?:\w+ ){0,2}(?:us )?(?:to |that we )?(?:delete|correct|update|remove|change|suppress|erase)\b",
        ),
    ],
    "Data Retention": [
        (0.7, r"\b(?:retain\w*|retention)\b"),
        (0.8, r"\b(?:will|may|to|we) retain\b|\bretain(?:s|ed)? (?:\w+ ){0,3}(?:information|data|records|it|them)\b"),
        (
            0.65,
            r"\bas long as (?:\w+ ){0,3}(?:necessary|needed|required|reasonably|your account|you|is|we|the|"
            r"permitted)",
        ),
        (
            0.7,
            r"\b(?:keep|kept|keeps|store|stored|stores|hold|held|maintain\w*|preserve\w*)\b "
            + _gap(6)
            + r"(?:for (?:a (?:period|time)|up to|as long|\d+|one|two|three|six|twelve|the (?:duration|period|length|"
            r"life))|until|indefinitely|after (?:you|your)|beyond)",
        ),
        (
            0.7,
            r"\b(?:indefinitely|no longer (?:than )?(?:necessary|needed|required)|period of time|"
            r"(?:delete|destroy|purge|anonymi[sz]e|erase|remove)\w* (?:\w+ ){0,6}(?:after|within|once|when)|"
            r"(?:regular|periodic|scheduled) (?:\w+ )?(?:destruction|deletion|purg\w+))\b",
        ),
        (0.4, r"\b(?:archiv\w+|back-?ups?|backup copies|residual|deleted from (?:our|active))\b"),
        # A stated retention period ("we remove it after 90 days", "kept indefinitely") is retention wherever it
        # stands.
        (
            0.9,
            r"\b(?:keep|kept|retain|store|delet|remov|purg|destroy|anonymi[sz]|eras|log)\w* (?:\w+ ){0,8}?(?:for|after|"
            r"within|up to|older than|longer than) (?:a (?:period|maximum) of )?(?:\d+|one|two|three|six|twelve|"
            r"thirty|sixty|ninety) (?:\w+ )?(?:days|weeks|months|years)\b|\b(?:retain\w*|kept|stored|keep) "
            r"(?:\w+ ){0,3}indefinitely\b",
        ),
        (0.25, r"\b\d+ (?:days|months|years)\b|\b(?:days|months|years)\b"),
    ],
    "Data Security": [
        (
            0.8,
            r"\b(?:security (?:measures|procedures|safeguards|technolog\w*|protocols?|practices|precautions|"
            r"standards|controls|systems?|breach\w*|features?|policies|programs?)|(?:reasonable|appropriate|"
            r"industry[- ]standard|commercially reasonable|physical|technical|administrative|electronic|managerial|"
            r"organi[sz]ational|procedural) (?:\w+,? ){0,4}(?:security|safeguards|measures|procedures|steps|"
            r"precautions|protections?))",
        ),
        (
            0.9,
            r"\b(?:encrypt\w*|ssl|tls|https|secure sockets? layer|firewalls?|data breach\w*|pci|"
            r"secure (?:server|socket|area|environment|network|facilit\w+|location|connection|site|technolog\w*|"
            r"transmission|database|systems?))\b",
        ),
        (
            0.7,
            r"\bunauthori[sz]ed (?:access|use|disclosure|alteration|acquisition)|\b(?:loss|misuse|theft),? "
            r"(?:misuse|alteration|theft|unauthori[sz]ed)",
        ),
        (0.55, r"\b(?:protect|safeguard|secure)\w* (?:\w+ ){0,4}(?:information|data|privacy|account)\b"),
        (
            0.7,
            r"\b(?:no (?:method|system|transmission|data transmission|security)|(?:cannot|can't|can not|do not) "
            r"(?:guarantee|ensure|warrant))\b",
        ),
        (0.5, r"\b(?:passwords?|(?<!social )security\b|secured?\b|safeguards?|confidential\w*)"),
        # The user's share of security: keeping credentials secret.
        (
            0.8,
            r"\b(?:keep|kept|keeping) (?:\w+ ){0,4}(?:passwords?|credentials|log-?ins?|user ?names?)\b (?:\w+ ){0,4}"
            r"(?:confidential|secret|safe|private|secure)|\b(?:log-?in|account|access) credentials\b|"
            r"\b(?:never|not to|do not|don't) (?:share|divulge|disclose|reveal|give) (?:\w+ ){0,3}passwords?",
        ),
        # Who inside may see the data.
        (
            0.75,
            r"\b(?:limit|restrict)\w* (?:\w+ )?access\b|\bneed to know\b|\b(?:employees|staff|personnel) (?:\w+ ){0,4}"
            r"access to (?:\w+ ){0,3}(?:information|data)|\bobligated to (?:maintain|keep|protect) (?:\w+ ){0,3}"
            r"(?:confidential|secur)",
        ),
    ],
    "Policy Change": [
        (
            0.85,
            r"\b(?:change|update|modify|revise|amend|alter)\w* " + _gap(4) + r"(?:this|our|the|these) (?:online )?"
            r"(?:privacy )?(?:policy|statement|notice|practices)",
        ),
        (
            0.85,
            r"\b(?:changes?|updates?|modifications?|revisions?|amendments?) (?:\w+ ){0,2}(?:to|of|in) (?:this|our|"
            r"the) (?:online )?(?:privacy )?(?:policy|statement|notice)",
        ),
        (
            0.8,
            r"\b(?:this|our|the) (?:online )?(?:privacy )?(?:policy|statement|notice) (?:\w+ ){0,2}(?:may|will|"
            r"might|can|is subject to) (?:\w+ ){0,2}(?:change|be (?:changed|updated|revised|modified|amended)|"
            r"updated|revised|modified|amended)",
        ),
        (
            0.7,
            r"\b(?:material(?:ly)?|significant(?:ly)?) (?:\w+ )?chang\w+|\bcontinued use\b|"
            r"\bwe (?:may|reserve the right to|will) (?:\w+ ){0,2}(?:change|update|modify|revise|amend)\b",
        ),
        (0.5, r"\b(?:post|notify|notice|inform)\w* (?:\w+ ){0,6}(?:changes?|updates?|revis\w+|modif\w+)\b"),
        (
            0.4,
            r"\b(?:effective date|last (?:updated|revised|modified|changed)|from time to time|periodically|"
            r"revised|check back)\b",
        ),
    ],
    "Do Not Track": [
        (
            0.95,
            r"\bdo[- ]not[- ]track (?:\w+ )?(?:signals?|requests?|settings?|preferences?|headers?|mechanisms?|"
            r"features?|options?|standards?|browser|technolog\w*|policy|disclosures?)\b|(?-i:\bDo[- ]Not[- ]Track\b)|"
            r"(?-i:\bDNT\b)|[\"“]do not track[\"”]",
        ),
    ],
    "International and Specific Audiences": [
        (
            0.8,
            r"\bchildren\b|\bchild(?:'s)? (?:privacy|information|data)|\bkids\b|\bteens?\b|\bminors?\b|\bCOPPA\b|"
            r"\b(?:a|your|the|their|any) child(?:'s|s)?\b|\b(?:son|daughter)'s or (?:son|daughter)'s\b",
        ),
        (
            0.9,
            r"\b(?:under|younger than|below|over|at least|older than) (?:the age of )?(?:1[0-9]|2[01])\b|"
            r"\bage of (?:1[0-9]|2[01]|majority)\b|\b1[0-9] (?:years|yrs)(?: of age| old)?\b",
        ),
        (
            0.75,
            r"\b(?:california|european|europe|eea|eu|uk|u\.k\.|canad\w+|nevada|massachusetts|vermont|australian?|"
            r"japan\w*|swiss|switzerland|international|non-u\.?s\.?|foreign|japanese|german)\b "
            r"(?:\w+ )?(?:residents?|users|visitors|customers|citizens|individuals|consumers|law|laws|"
            r"union|economic area|privacy|data protection|regulations?)",
        ),
        # Notices to the residents of one state or country ("For Montana residents:").
        (0.75, r"\b(?:for|to) (?:\w+ )?residents\b|\bresidents of (?:the )?(?:state|province|commonwealth|\w+)\b"),
        (
            0.7,
            r"\b(?:outside (?:of )?(?:the )?(?:united states|u\.s\.|us|eea|european|your (?:country|jurisdiction)|"
            r"country)|(?:transfer\w*|processed|stored|located|maintained|hosted) (?:\w+ ){0,5}(?:in|to) (?:the )?"
            r"(?:united states|u\.s\.|other countries|countries|jurisdictions)|cross[- ]border)",
        ),
        (
            0.75,
            r"\b(?:safe harbou?r|privacy shield|gdpr|shine the light|1798\.83|caloppa|ccpa|data protection "
            r"(?:act|directive|authorit\w*)|pipeda)\b",
        ),
        (0.5, r"\b(?:parents?|guardians?|parental)\b"),
        (0.35, r"\b(?:california|europe\w*|canada|countries|country|jurisdiction\w*)\b"),
    ],
    "Other": [
        (
            0.6,
            r"\bcontact (?:us|our|the)\b|\b(?:questions|comments|concerns|complaints?|inquir\w+|feedback) "
            r"(?:\w+ ){0,3}(?:about|regarding|concerning|on|relating)\b",
        ),
        # Contact details (an e-mail address, a phone number, a postal address) are the privacy contact wherever
        # they stand in a segment.
        (
            0.9,
            r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b|\b\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b|\b(?:suite|street|avenue|"
            r"p\.?o\.? box|attn|attention:?)\b",
        ),
        (
            0.9,
            r"\b(?:this|our|the) (?:online )?(?:privacy )?(?:policy|statement|notice) (?:\w+ ){0,2}(?:applies|"
            r"describes|explains|covers|sets (?:out|forth)|governs|is intended|does not apply|is (?:part|"
            r"incorporated)|only applies|outlines|discloses|informs|tells|is designed)",
        ),
        (
            0.9,
            r"\b(?:links? (?:to|from)|linked|link to) (?:\w+ ){0,2}(?:other|third[- ]party|external|outside)? ?"
            r"(?:web ?)?sites?\b|\bnot responsible for (?:\w+ ){0,3}(?:privacy|content|practices|policies)|"
            r"\b(?:their|its) own privacy (?:policy|policies|practices|statements?)",
        ),
        (
            0.7,
            r"\b(?:committed to|respects?|values?|care about|take (?:\w+ ){0,3}seriously) (?:\w+ ){0,3}privacy\b|"
            r"\bprivacy (?:is important|matters)",
        ),
        (
            0.5,
            r"\b(?:terms of (?:use|service)|terms and conditions|user agreement|governing law|jurisdiction|"
            r"disputes?|arbitration|liabilit\w+|warrant\w+|trademarks?|copyright)\b",
        ),
        (
            0.55,
            r"\b(?:privacy (?:officer|office|team|department|administrator|coordinator|contact|center)|"
            r"(?:introduction|overview|scope|definitions|table of contents|in general|general information|"
            r"summary|welcome)\b)",
        ),
        (
            0.5,
            r"\b(?:please (?:read|review)|(?:read|review) (?:this|our|the) (?:\w+ )?(?:privacy )?(?:policy|"
            r"statement|notice))\b",
        ),
        # Seals and compliance programmes; a bare "trusted" or "verify" is about something else.
        (
            0.5,
            r"\b(?:truste|trustarc|trust ?mark|self[- ]regulatory|certif\w+|seals?|complian\w+|audit\w*|"
            r"verification (?:program|seal))\b",
        ),
        (0.35, r"\b(?:privacy (?:policy|statement|notice|practices)|this policy|(?:we|us|our)\")"),
        (
            0.6,
            r"\b(?:means|refers to|is defined as|shall mean)\b|\bfor (?:the )?purposes? of this (?:privacy )?"
            r"(?:policy|statement|notice)",
        ),
        (
            0.5,
            r"\byou are (?:solely )?responsible\b|\bplease (?:be careful|use caution)\b|"
            r"\bwe (?:recommend|encourage|urge) (?:that )?you\b",
        ),
        (0.55, r"\bsubject to (?:\w+ ){0,3}(?:agreements?|terms|licen[cs]e|eula)\b"),
    ],
    # Modern markers: each cue needs its context, so a passing word does not fire.
    "cookies": [
        (
            0.9,
            r"\bcookies?\b(?=[^.]{0,100}\b(?:browser|track\w*|collect\w*|stor(?:e|ed)|placed?|device|"
            r"website|web ?site|site|servic\w+|analytic\w*|advertis\w+|session|persistent|third|computer|hard drive|"
            r"identif\w+|settings|disable|accept|preferences|visit\w*|login|text files?))",
        ),
        (
            0.9,
            r"\b(?:browser|third[- ]party|session|persistent|tracking|analytics?|advertising|flash|http|functional|"
            r"performance|targeting|first[- ]party|essential|strictly necessary|we use|use of) cookies?\b",
        ),
        (
            0.9,
            r"\b(?:web beacons?|pixel tags?|tracking pixels?|clear gifs?|local storage|tracking technolog\w*|"
            r"google analytics|device fingerprint\w*|software development kits?|sdks?)\b",
        ),
    ],
    "children": [
        (
            0.9,
            r"\bchildren(?:'s)? (?:under|privacy|personal|younger|below|online privacy)|\bchild(?:ren)?(?:'s)? "
            r"(?:data|information)\b",
        ),
        (0.9, r"\b(?:(?:under|younger than|below) (?:the age of )?1[3-8]|(?:age|ages) of 1[3-8]|minors? under)\b"),
        (0.95, r"(?-i:\bCOPPA\b)|\bChildren's Online Privacy Protection"),
        (
            0.85,
            r"\b(?:knowingly|intentionally) (?:\w+ ){0,3}(?:collect|solicit|obtain|market)\w* (?:\w+ ){0,6}"
            r"(?:children|minors|kids)\b|\bparental (?:consent|permission)\b",
        ),
    ],
    "california": [
        (
            0.95,
            r"(?-i:\b(?:CCPA|CPRA|CalOPPA)\b)|\bCalifornia (?:Consumer Privacy|Privacy Rights|Online Privacy "
            r"Protection) Act|\bShine the Light\b|\bCivil Code (?:section |sec\. |§ ?)?1798|\b1798\.\d+",
        ),
        (
            0.9,
            r"\bdo not sell (?:or share )?my (?:personal )?(?:information|data)|\b(?:sale|sell|sharing) "
            r"(?:\w+ ){0,4}opt[- ]?out\b(?=.{0,200}california)",
        ),
        (
            0.85,
            r"\bCalifornia (?:residents?|consumers?|users|customers)\b(?=[^.]{0,160}\b(?:rights?|privacy|request|"
            r"disclos\w+|personal information|sell|direct marketing|entitled))|\byour California privacy rights\b",
        ),
    ],
    "gdpr": [
        (0.95, r"(?-i:\bGDPR\b)|\bGeneral Data Protection Regulation|\bRegulation \(EU\) 2016/679"),
        (
            0.85,
            r"\b(?:legal|lawful) bas[ie]s (?:for|of) (?:\w+ ){0,2}process\w*|\blegitimate interests?\b(?=.{0,160}"
            r"(?:process|data|personal))|\b(?:process\w*|collect\w*) (?:\w+ ){0,6}(?:based on|on the basis of) "
            r"(?:your consent|our legitimate|contract|legal obligation)",
        ),
        (
            0.9,
            r"\bdata protection officer\b|(?-i:\bDPO\b)|\bdata subjects?(?:'s)? (?:rights?|requests?|access)|"
            r"\bsupervisory authorit\w+|\bright to (?:data )?portability|\bright to (?:be forgotten|erasure|"
            r"rectification|object|restrict\w* (?:the )?processing|lodge a complaint)",
        ),
        (
            0.85,
            r"\bstandard contractual clauses|\bbinding corporate rules|\badequacy decision|\b(?:transfer\w*) "
            r"(?:\w+ ){0,6}outside (?:of )?the (?:EEA|European Economic Area|EU|European Union)",
        ),
    ],
    "safe_harbor": [
        (
            0.95,
            r"\b(?:U\.?S\.?|EU|Swiss|European)[- /]+(?:(?:EU|U\.?S\.?|Swiss)[- /]+)*Safe Harbou?r\b|"
            r"\bSafe Harbou?r (?:framework|principles|program|certification|privacy principles)|"
            r"\bSafe Harbou?r\b(?=[^.]{0,120}(?:Department of Commerce|European|EU\b|Switzerland|Swiss|self-certif|"
            r"certif|principles|personal data|privacy))",
        ),
    ],
    "privacy_shield": [
        (
            0.95,
            r"\bprivacy shield\b(?=[^.]{0,160}(?:framework|principles|certif|Department of Commerce|EU|Swiss|"
            r"participat|comply|complies|adhere|program|list|data))|\b(?:EU|Swiss)[- ]U\.?S\.? Privacy Shield",
        ),
    ],
    "data_privacy_framework": [
        (
            0.95,
            r"\bData Privacy Framework\b|(?:EU|Swiss)[- ]U\.?S\.? DPF\b|(?-i:\bDPF\b)(?=[^.]{0,120}(?:principles|"
            r"certif|Commerce|EU|Swiss|UK Extension))",
        ),
    ],
    "self_regulatory": [
        (
            0.9,
            r"(?-i:\bTRUSTe\b)|\bTrustArc\b|\bBBB ?OnLine\b|\bNetwork Advertising Initiative\b|"
            r"\bDigital Advertising Alliance\b|\bAdChoices\b|\baboutads\.info\b|\bnetworkadvertising\.org\b|"
            r"\byouradchoices\b|\bEuropean Interactive Digital Advertising Alliance\b",
        ),
        (
            0.85,
            r"(?-i:\b(?:NAI|DAA|EDAA|DAAC)\b)(?=[^.]{0,160}(?:principles|code|self-regulat|opt[- ]?out|member|"
            r"advertis|program|guidelines))|\bself-regulatory (?:principles|program)\w* (?:for|of) online "
            r"behavio\w+ advertising",
        ),
    ],
    "do_not_track": [],  # filled below: the same cue as the OPP-115 category
}
LEXICON["do_not_track"] = list(LEXICON["Do Not Track"])
# Trigger words per cue, in LEXICON order: a cue's pattern runs only when the segment holds one of its trigger
# words, so most patterns never run on most segments (the rules tagger's speed). A trigger is a word prefix
# ("collect" also triggers on "collection"), or with a trailing "=" a whole word ("we=" does not trigger on "web").
# Groups separated by " & " must all be present (a cue about "changes" that are "posted" needs both words).
# A trigger must occur wherever its cue can match; tests check that gating never changes a tag.
TRIGGERS: dict[str, list[str]] = {
    "First Party Collection/Use": [
        "collect gather obtain receiv record use process ask request store log track analy combine retain require"
        " keep compile aggregate capture save maintain learn & we=",
        "collect gather obtain receiv record use process request & information data details pii",
        "information data & collect gather obtain provide submit give enter",
        "collect",
        "used utili",
        "provide improve personali customi send contact respond process deliver fulfil administer operate analy"
        " understand communicate tailor enhance verify measure monitor prevent",
        "name mail email address phone birth credit zip",
        "when",
        "cookie web beacon pixel clear log ip= browser device usage server flash local html tracking geoloc location",
        "name mail email postal phone telephone mailing credit billing zip date birth gender age",
        "personal",
        "help allow enable let",
        "information data & about regarding on= relating",
        "regist sweepstake contest survey promotion newsletter order purchase account",
    ],
    "Third Party Sharing/Collection": [
        "third",
        "share sharing disclos sell sold rent lease trade transfer provide give make release",
        "share disclos sell rent trade",
        "affiliat service vendor contractor partner advertiser sponsor subsidiar agent processor cobrand co=",
        "law subpoena court legal warrant government required comply protect",
        "merger acquisition acquired bankruptcy sale reorgani divestiture change",
        "google facebook twitter doubleclick yahoo microsoft omniture adobe comscore nielsen linkedin pinterest"
        " instagram youtube paypal amazon quantcast scorecard atlas criteo rubicon appnexus",
        "advertising ad= network interest behaviou behavior targeted analytics",
        "sell share rent disclos trade lease give",
        "social plug widget like",
        "public bulletin message forum chat blog user post",
        "other these those such & compan parties entities organi businesses",
        "payment credit fulfil shipping deliver",
        "use allow permit work partner engage contract employ hire retain rely let & we= & third outside other"
        " analytics advertising ad=",
        "these third other advertisers partners ad= advertising analytics & collect gather receiv place set"
        " access obtain track use",
        "public visible others anyone",
        "law required believe deem",
    ],
    "User Choice/Control": [
        "opt",
        "unsubscrib",
        "choice options preferences consent",
        "browser device privacy account cookie email notification & setting preferences control options",
        "disabl block reject refus declin delet remov turn manag control",
        "you= & may= can= could= have= are=",
        "choose decide elect prefer",
        "consent",
        "aboutads networkadvertising youronlinechoices adchoices optout",
        "wish want like",
        "optional voluntar required discretion option want wish agree provide accept",
        "agree consent acknowledge authori using visiting accessing submitting providing registering",
        "preferen choice permission",
        "ability option choice opportunity able free right",
        "set configure adjust change clear erase disabling blocking rejecting without",
        "prefer would wish want",
    ],
    "User Access, Edit and Deletion": [
        "access review updat correct edit chang modif delet remov eras rectif amend view deactivat clos cancel",
        "right",
        "request ask",
        "account profile member",
        "inaccura out up= incomplete incorrect accurate",
        "delet correct updat edit remov accessing",
        "updat correct chang delet edit remov modif review amend suppress eras & can= may= will= make your= ask"
        " request want like prefer",
    ],
    "Data Retention": [
        "retain retention",
        "retain",
        "long",
        "keep kept store hold held maintain preserv",
        "indefinitely no= period delet destroy purg anonymi erase remov regular periodic scheduled",
        "archiv back residual deleted",
        "keep kept retain store delet remov purg destroy anonymi eras log & days weeks months years indefinitely",
        "days months years",
    ],
    "Data Security": [
        "security reasonable appropriate industry commercially physical technical administrative electronic"
        " managerial organi procedural",
        "encrypt ssl tls https secure firewall data pci",
        "unauthori loss misuse theft",
        "protect safeguard secur",
        "guarantee ensure warrant method system transmission security",
        "password security secur safeguard confidential",
        "password credential log user & keep kept keeping credential password",
        "limit restrict need employees staff personnel obligated",
    ],
    "Policy Change": [
        "chang updat modif revis amend alter",
        "chang updat modif revis amend",
        "policy statement notice",
        "material significant continued chang updat modif revis amend",
        "post notif notice inform & chang updat revis modif",
        "effective last from periodically revised check",
    ],
    "Do Not Track": ["track dnt"],
    "International and Specific Audiences": [
        "children child kids teen minor coppa son daughter",
        "under younger below over at= older age 1",
        "california european europe eea eu= uk= u= canad nevada massachusetts vermont australia japan swiss"
        " switzerland international non foreign german",
        "residents",
        "outside transfer processed stored located maintained hosted cross",
        "safe shield gdpr shine 1798 caloppa ccpa protection pipeda",
        "parent guardian",
        "california europe canada countr jurisdiction",
    ],
    "Other": [
        "contact questions comments concerns complaint inquir feedback",
        "@ 0 1 2 3 4 5 6 7 8 9 suite street avenue p= po= attn attention",
        "policy statement notice",
        "link not= their its",
        "committed respect value care take privacy",
        "terms user governing jurisdiction dispute arbitration liabilit warrant trademark copyright",
        "officer office team department administrator coordinator contact center introduction overview scope"
        " definitions table general summary welcome",
        "please read review",
        "truste trustarc trust self certif seal complian audit verification",
        'policy statement notice practices "=',
        "means refers defined shall purpose",
        "responsible please recommend encourage urge",
        "subject",
    ],
    "cookies": [
        "cookie",
        "cookie",
        "web pixel tracking clear local google device software sdk",
    ],
    "children": [
        "children child",
        "under younger below age minor",
        "coppa children",
        "knowingly intentionally parental",
    ],
    "california": [
        "ccpa cpra caloppa california shine civil 1798",
        "sale sell sharing",
        "california",
    ],
    "gdpr": [
        "gdpr general regulation",
        "legal lawful legitimate based basis",
        "officer dpo subject supervisory portability forgotten erasure rectification object restrict lodge",
        "standard binding adequacy transfer",
    ],
    "safe_harbor": ["harbor harbour"],
    "privacy_shield": ["shield"],
    "data_privacy_framework": ["framework dpf"],
    "self_regulatory": [
        "truste trustarc bbb network digital adchoices aboutads networkadvertising youradchoices european",
        "nai daa edaa daac self",
    ],
}
TRIGGERS["do_not_track"] = list(TRIGGERS["Do Not Track"])

# Section-heading cues: the words a segment opens with (after any numbering like "5." or "(b)"). Policies title
# their sections by practice ("How We Share Your Information", "Your Choices", "Contact Us"), and the opening words
# of an untitled paragraph name its topic the same way. (weight, pattern after the opening, trigger words).
_OPENING = r"^[^a-z]{0,8}(?:(?:[a-h]|[ivx]{1,4})[.)]\s*)?"
HEADINGS: dict[str, list[tuple[float, str, str]]] = {
    "First Party Collection/Use": [
        (
            0.8,
            r"(?:(?:the |what |types of |categories of |kinds of )?(?:personal |personally identifiable |other |"
            r"non-personal |non-personally identifiable )?information (?:that )?(?:we |you )?(?:collect|gather|"
            r"obtain|receive|provide|submit)|(?:what|which) (?:\w+ ){0,3}(?:do|does) (?:we|\w+) (?:collect|gather)|"
            r"how (?:we|do we) (?:collect|use|gather)|(?:collection|use|uses|processing) (?:and use )?of "
            r"(?:your |personal |customer |user )*(?:information|data)|information collect(?:ion|ed)|"
            r"(?:automatically|passively) collected|(?:log (?:files|data)|ip address(?:es)?|web beacons|"
            r"cookies|pixel tags|clear gifs|usage (?:data|information)|device information|"
            r"location (?:data|information)|registration)\b)",
            "information collect gather use uses processing how what which automatically passively log ip web"
            " cookie pixel clear analytics usage device location registration",
        ),
    ],
    "Third Party Sharing/Collection": [
        (
            0.8,
            r"(?:(?:how |when |why )?(?:we |do we )?(?:share|sharing|disclos\w+|transfer\w*|sell|sale) (?:of )?"
            r"(?:your |personal |the )*(?:information|data)?|(?:with )?whom (?:do )?we share|information (?:we )?"
            r"shar\w+|third[- ]part(?:y|ies)(?! (?:web ?)?sites?| links)|service providers|(?:our )?affiliates|"
            r"business transfers?|legal (?:requirements|process|disclosures?)|(?:online |interest[- ]based )?"
            r"advertis(?:ing|ers)\b(?! choices))",
            "share sharing disclos transfer sell sale whom information third service affiliates business legal"
            " online interest advertis",
        ),
    ],
    "User Choice/Control": [
        (
            0.8,
            r"(?:your (?:choices?|options|preferences|consent|privacy choices|rights and choices)|choices?\b|"
            r"opt(?:ing)?[- ]?(?:out|in)|unsubscrib|(?:marketing|communications?|email) (?:preferences|choices|"
            r"opt)|managing (?:cookies|your)|how (?:you|to) (?:can )?(?:control|opt|manage|limit))",
            "your choice choices opt opting unsubscrib marketing communication communications email managing how",
        ),
    ],
    "User Access, Edit and Deletion": [
        (
            0.8,
            r"(?:(?:accessing|reviewing|updating|correcting|changing|deleting|editing|access to|access and)"
            r"(?:,? (?:and |or )?(?:updating|correcting|changing|deleting|editing|update|correct|delete))* "
            r"(?:\w+ ){0,2}(?:information|data|account|profile)|how (?:you |to |do i |can i )*(?:can )?(?:access|"
            r"update|correct|change|review|delete|edit)|(?:your )?right (?:to|of) access)",
            "accessing reviewing updating correcting changing deleting editing access how your right",
        ),
    ],
    "Data Retention": [
        (
            0.85,
            r"(?:(?:data |information |record )?retention|how long (?:do )?we (?:keep|retain|store)|"
            r"(?:storage|keeping) (?:of|and retention))",
            "data information record retention how storage keeping",
        ),
    ],
    "Data Security": [
        (
            0.85,
            r"(?:(?:data |information |our commitment to |site |account )?security|how (?:do )?we (?:protect|secure|"
            r"safeguard)|(?:protect(?:ing|ion of)|safeguarding|securing) (?:your |the )?(?:personal )?"
            r"(?:information|data|privacy)|confidentiality)",
            "data information our site account security how protect protecting protection safeguarding securing"
            " confidentiality",
        ),
    ],
    "Policy Change": [
        (
            0.85,
            r"(?:(?:changes|updates|modifications|revisions|amendments) (?:to|in|of) (?:this|our|the)|"
            r"(?:privacy )?(?:policy|statement|notice) (?:changes|updates))",
            "changes updates modifications revisions amendments privacy policy statement notice",
        ),
    ],
    "International and Specific Audiences": [
        (
            0.85,
            r"(?:(?:\w+ ){0,4}(?:from|of|about|by|for|regarding) (?:children|kids|minors)|"
            r"children|child|kids|minors|parents|teens|(?:your )?california|international (?:users|visitors|"
            r"transfers?|data)|european|notice to (?:california|european|non-u\.?s\.?|users outside)|(?:users|"
            r"visitors) (?:from )?outside|safe harbou?r|privacy shield)\b",
            "children child kids minors parents teens your california international european notice users"
            " visitors safe privacy",
        ),
    ],
    "Other": [
        (
            0.8,
            r"(?:contact(?:ing)? us|questions|how to contact|(?:online )?privacy (?:policy|statement|notice)$|"
            r"introduction|overview|scope|links? to (?:other|third)|(?:third[- ]party|other|external) "
            r"(?:web ?)?sites|linked sites|terms of (?:use|service)|governing law|effective date|last (?:updated|"
            r"revised|modified)|definitions|welcome|our commitment(?! to (?:data |information )?security)|"
            r"acceptance|disclaimer)\b",
            "contact contacting questions how online privacy introduction overview scope link links third other"
            " external linked terms governing effective last definitions welcome our acceptance disclaimer",
        ),
    ],
}
for _category, _cues in HEADINGS.items():
    for _weight, _rx, _words in _cues:
        LEXICON[_category].append((_weight, _OPENING + _rx))
        TRIGGERS[_category].append(_words)

# Cues from a segment's shape rather than its words. Short segments are mostly headings or fragments, which
# OPP-115 annotators file under Other. A list item ("...; and", "enforce our terms of service;") continues a list
# introduced elsewhere, and such lists are mostly the purposes information is used for. A segment made mostly of
# capitalised words is a table of contents, a run of headings or an address block: Other, and the practices it
# names are the titles of other sections, so its practice cues count for little (TITLE_CASE_PRACTICE_FACTOR).
SHORT_SEGMENT_WORDS = 8
SHORT_SEGMENT_OTHER = 0.5
LIST_ITEM_FIRST_PARTY = 0.5
TITLE_CASE_SHARE = 0.7  # of the content words (small words like "of", "your" aside)
TITLE_CASE_MIN_WORDS = 8
TITLE_CASE_ALL_WORDS_SHARE = 0.4  # of all words, small ones included
TITLE_CASE_OTHER = 0.8
TITLE_CASE_PRACTICE_FACTOR = 0.25
_LIST_ITEM = re.compile(r"(?:;|[;,]? (?:and|or))\s*$")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_CAPITALISED = re.compile(r"\b[A-Z]")
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "or", "of", "to", "the", "your", "our", "for", "in", "on", "with", "we", "you", "about"}
    | {"how", "is", "do", "from", "by", "us", "it", "this", "that"}
)
# A paragraph states its topic first (a section heading, then the opening sentence); later sentences mention
# neighbouring practices in passing ("... and we may share it with our service providers"). So a practice cue
# whose first match starts after the opening counts with a reduced weight. Markers are not affected: they flag
# any mention.
OPENING_CHARS = 100
LATE_CUE_FACTOR = 0.5
UNAMBIGUOUS_WEIGHT = 0.9  # a cue this specific ("Do Not Track signals") names its practice wherever it stands


# Per-category firing thresholds, chosen on the OPP-115 dev split only (uid % 4 != 0) jointly with the decoding
# below (coordinate search for dev micro-F1); markers use FIRE_AT.
THRESHOLDS: dict[str, float] = {
    "First Party Collection/Use": 0.800,
    "Third Party Sharing/Collection": 0.625,
    "User Choice/Control": 0.850,
    "User Access, Edit and Deletion": 0.550,
    "Data Retention": 0.425,
    "Data Security": 0.725,
    "Policy Change": 0.525,
    "Do Not Track": 0.200,
    "International and Specific Audiences": 0.400,
    "Other": 0.325,
}
# Decoding. A paragraph usually describes one or two practices, and annotators label the one it is about, so a
# category is kept only when its evidence is comparable to the strongest one: its miss probability (1 - score) is
# at most MARGIN times the best category's. A segment where nothing reaches its threshold still gets its strongest
# category when that score reaches FALLBACK_AT (nearly every policy segment carries some practice or Other).
MARGIN = 5.0
FALLBACK_AT = 0.3


def _needs_case(rx: str) -> bool:
    """A cue spelled with capitals (outside escapes like \\S) cannot run on lower-cased text without re.I."""
    return "(?-i:" in rx or re.search(r"(?<!\\)[A-Z]", rx) is not None


@dataclass(frozen=True)
class _Cue:
    category: int
    weight: float
    pattern: re.Pattern[str] | re2._Regexp
    cased: bool  # runs with re.I on the original text (it holds a case-sensitive acronym)


_LOOKAROUND = re.compile(r"\(\?<?[=!]")


def _compile_cue(rx: str, cased: bool) -> re.Pattern[str] | re2._Regexp:
    """A cue's pattern: RE2 (linear time, a third faster over a policy's segments) unless it needs lookaround,
    which only Python's engine has. Cues keep to ASCII words, where both engines read \\b and \\w alike."""
    if _LOOKAROUND.search(rx):
        return re.compile(rx, re.I) if cased else re.compile(rx)
    options = re2.Options()
    options.case_sensitive = not cased
    return re2.compile(rx, options)


_GROUP_BITS = 3  # an index entry is cue << _GROUP_BITS | trigger group


def _compile_lexicon() -> tuple[list[_Cue], dict[str, list[int]], dict[str, list[int]], list[int], list[int]]:
    """Every cue compiled once, the trigger index (word or word prefix -> cue and group), groups per cue."""
    cues: list[_Cue] = []
    groups: list[int] = []
    exact: dict[str, list[int]] = {}
    prefix: dict[str, list[int]] = {}
    for k, (category, entries) in enumerate(LEXICON.items()):
        triggers = TRIGGERS[category]
        if len(triggers) != len(entries):
            raise ValueError(f"{category}: {len(entries)} cues but {len(triggers)} trigger lists")
        for (weight, rx), words in zip(entries, triggers, strict=True):
            cased = _needs_case(rx)
            cues.append(_Cue(k, weight, _compile_cue(rx, cased), cased))
            parts = words.split(" & ")
            groups.append(len(parts))
            for g, part in enumerate(parts):
                for w in part.split():
                    index = exact if w.endswith("=") else prefix
                    index.setdefault(w.rstrip("="), []).append((len(cues) - 1) << _GROUP_BITS | g)
    return cues, exact, prefix, sorted({len(p) for p in prefix}), groups


_CATEGORIES = list(LEXICON)
assert _CATEGORIES[: len(OPP115_CATEGORIES)] == list(OPP115_CATEGORIES), "LEXICON starts with the OPP-115 categories"
_OTHER = _CATEGORIES.index("Other")
_FIRST_PARTY = _CATEGORIES.index("First Party Collection/Use")
_CUES, _EXACT, _PREFIX, _PREFIX_LENGTHS, _GROUPS = _compile_lexicon()
_TOKEN = re.compile(r"[a-z0-9]+|[@\"]")


@functools.lru_cache(maxsize=200_000)
def _token_cues(tok: str) -> tuple[frozenset[int], tuple[int, ...]]:
    """What one word triggers (cached: policy vocabulary is small and repetitive): the cues with a single trigger
    group, which it activates outright, and the (cue, group) entries of cues that need several groups."""
    hits = list(_EXACT.get(tok, ()))
    for n in _PREFIX_LENGTHS:
        if n > len(tok):
            break
        hits += _PREFIX.get(tok[:n], ())
    single = frozenset(h >> _GROUP_BITS for h in hits if _GROUPS[h >> _GROUP_BITS] == 1)
    return single, tuple(h for h in hits if _GROUPS[h >> _GROUP_BITS] > 1)


def _active_cues(lowered: str) -> list[int]:
    """The cues all of whose trigger groups occur in the (lower-cased) text, in lexicon order."""
    active: set[int] = set()
    multi: set[int] = set()
    for tok in set(_TOKEN.findall(lowered)):
        single, entries = _token_cues(tok)
        active |= single
        multi.update(entries)
    if multi:
        groups_hit = Counter(h >> _GROUP_BITS for h in multi)
        active.update(c for c, n in groups_hit.items() if n == _GROUPS[c])
    return sorted(active)


def _positional_weight(cue: _Cue, start: int, headings: bool) -> float:
    """A practice cue's weight: reduced when it first matches after the segment's opening, and more when the
    segment is a list of headings (see TITLE_CASE_SHARE)."""
    if cue.category >= len(OPP115_CATEGORIES) or cue.weight >= UNAMBIGUOUS_WEIGHT:
        return cue.weight
    if headings:
        return cue.weight * TITLE_CASE_PRACTICE_FACTOR
    return cue.weight if start < OPENING_CHARS else cue.weight * LATE_CUE_FACTOR


def _is_list_of_headings(text: str) -> bool:
    """Mostly capitalised content words: a table of contents, a run of headings or an address block."""
    if len(_CAPITALISED.findall(text)) < TITLE_CASE_ALL_WORDS_SHARE * len(text.split()):
        return False  # a sentence, not headings: the common case, checked cheaply on all words first
    words = [w for w in _WORD.findall(text) if w.lower() not in _SMALL_WORDS]
    if len(words) < TITLE_CASE_MIN_WORDS:
        return False
    return sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def _shape_cues(text: str, headings: bool) -> list[tuple[int, float, str]]:
    """(category, weight, label) of the cues a segment's shape gives (see SHORT_SEGMENT_WORDS)."""
    cues = []
    if _LIST_ITEM.search(text[-8:]):  # a short list item is still a list item, not a heading
        cues.append((_FIRST_PARTY, LIST_ITEM_FIRST_PARTY, "(list item)"))
    elif len(text.split()) <= SHORT_SEGMENT_WORDS:
        cues.append((_OTHER, SHORT_SEGMENT_OTHER, "(short segment)"))
    if headings:
        cues.append((_OTHER, TITLE_CASE_OTHER, "(list of headings)"))
    return cues


def score_text(text: str, gated: bool = True) -> tuple[list[float], list[str]]:
    """Per category (LEXICON order): the noisy-or score of the cues that match, and the strongest cue's quote.

    `gated=False` runs every cue regardless of triggers (slow; for checking that the gate loses nothing).
    """
    lowered = text.lower()
    same = len(lowered) == len(text)  # lower() kept offsets, so the cue can be quoted in its original spelling
    miss = [1.0] * len(_CATEGORIES)
    best: list[tuple[float, str]] = [(0.0, "")] * len(_CATEGORIES)
    headings = _is_list_of_headings(text)
    for i in _active_cues(lowered) if gated else range(len(_CUES)):
        cue = _CUES[i]
        m = cue.pattern.search(text if cue.cased else lowered)
        if m is None:
            continue
        weight = _positional_weight(cue, m.start(), headings)
        miss[cue.category] *= 1.0 - weight  # noisy-or: each distinct cue is independent evidence
        if weight > best[cue.category][0]:
            quote = text[m.start() : m.end()] if same or cue.cased else m.group(0)
            best[cue.category] = (weight, quote)
    for category, weight, label in _shape_cues(text, headings):
        miss[category] *= 1.0 - weight
        if weight > best[category][0]:
            best[category] = (weight, label)
    return [1.0 - m for m in miss], [b[1] for b in best]


def tag_text(text: str, gated: bool = True) -> list[Tag]:
    """Tags of one segment: the OPP-115 categories kept by the decoding above and every marker reaching FIRE_AT,
    each with its score and the strongest cue."""
    scores, cues = score_text(text, gated)
    n = len(OPP115_CATEGORIES)
    best = max(range(n), key=scores.__getitem__)
    bound = (1.0 - scores[best]) * MARGIN + 1e-12
    keep = [
        scores[k] > 0 and scores[k] >= THRESHOLDS[c] and 1.0 - scores[k] <= bound
        for k, c in enumerate(OPP115_CATEGORIES)
    ]
    if not any(keep) and scores[best] >= FALLBACK_AT:
        keep[best] = True
    keep += [s > 0 and s >= FIRE_AT for s in scores[n:]]
    return [Tag(c, round(scores[k], 3), cues[k][:80]) for k, c in enumerate(_CATEGORIES) if keep[k]]


class RulesTagger:
    """The default tagger: the project's own rules."""

    name = "rules"
    version = RULES_VERSION

    def tag_batch(self, texts: Sequence[str]) -> list[list[Tag]]:
        return [tag_text(t) for t in texts]


def load_tagger(model_path: Path | str | None = None) -> Tagger:
    """The rules tagger, or a trained model saved by `policy-history train-tagger`."""
    if model_path is None:
        return RulesTagger()
    from pipelines.train import load_model  # scikit-learn is only needed for trained models

    return load_model(Path(model_path))
