"""German and French legal pages written for the tests (ota-doctypes has no German and little French): the
policies, terms, imprints and cookie notices of small sites, each with the privacy section terms and imprints
usually have, wrapped in the chrome of a site (navigation, footer links to every legal page)."""

from __future__ import annotations

DE_CHROME = (
    "<header><a href='/'>Bäckerei Sonnenkorn</a><nav><a href='/'>Startseite</a> <a href='/shop'>Shop</a> "
    "<a href='/kontakt'>Kontakt</a></nav></header>",
    "<footer><a href='/impressum'>Impressum</a> | <a href='/datenschutz'>Datenschutz</a> | <a href='/agb'>AGB</a>"
    " | <a href='/cookies'>Cookie-Einstellungen</a><p>© 2024 Sonnenkorn GmbH</p></footer>",
)
FR_CHROME = (
    "<header><a href='/'>Atelier Lumière</a><nav><a href='/'>Accueil</a> <a href='/boutique'>Boutique</a> "
    "<a href='/contact'>Contact</a></nav></header>",
    "<footer><a href='/mentions-legales'>Mentions légales</a> | <a href='/confidentialite'>Politique de "
    "confidentialité</a> | <a href='/cgv'>CGV</a> | <a href='/cookies'>Gestion des cookies</a>"
    "<p>© 2024 Atelier Lumière SARL</p></footer>",
)

DE_POLICY = """<h1>Datenschutzerklärung</h1>
<h2>1. Datenschutz auf einen Blick</h2>
<h3>Allgemeine Hinweise</h3>
<p>Die folgenden Hinweise geben einen einfachen Überblick darüber, was mit Ihren personenbezogenen Daten passiert,
wenn Sie diese Website besuchen. Personenbezogene Daten sind alle Daten, mit denen Sie persönlich identifiziert
werden können.</p>
<h3>Wer ist verantwortlich für die Datenerfassung auf dieser Website?</h3>
<p>Die Datenverarbeitung auf dieser Website erfolgt durch den Websitebetreiber. Dessen Kontaktdaten können Sie dem
Abschnitt „Hinweis zur verantwortlichen Stelle“ entnehmen.</p>
<h3>Wie erfassen wir Ihre Daten?</h3>
<p>Ihre Daten werden zum einen dadurch erhoben, dass Sie uns diese mitteilen, etwa in einem Kontaktformular.
Andere Daten werden automatisch beim Besuch der Website durch unsere IT-Systeme erfasst, vor allem technische
Daten wie Internetbrowser, Betriebssystem oder Uhrzeit des Seitenaufrufs.</p>
<h2>2. Hosting</h2>
<p>Wir hosten die Inhalte unserer Website bei einem Anbieter in Frankfurt am Main. Die Verwendung erfolgt auf
Grundlage von Art. 6 Abs. 1 lit. f DSGVO. Wir haben einen Vertrag über Auftragsverarbeitung geschlossen.</p>
<h2>3. Allgemeine Hinweise und Pflichtinformationen</h2>
<h3>Hinweis zur verantwortlichen Stelle</h3>
<p>Verantwortlich für die Datenverarbeitung auf dieser Website ist die Sonnenkorn GmbH, Lindenstraße 4, 79098
Freiburg, E-Mail: datenschutz@sonnenkorn.example.</p>
<h3>Speicherdauer</h3>
<p>Soweit keine speziellere Speicherdauer genannt wurde, verbleiben Ihre personenbezogenen Daten bei uns, bis der
Zweck für die Datenverarbeitung entfällt. Gesetzliche Aufbewahrungsfristen bleiben unberührt.</p>
<h3>Ihre Rechte</h3>
<p>Sie haben jederzeit das Recht auf unentgeltliche Auskunft über Herkunft, Empfänger und Zweck Ihrer
gespeicherten personenbezogenen Daten, das Recht auf Berichtigung oder Löschung, auf Einschränkung der
Verarbeitung, auf Datenübertragbarkeit und ein Beschwerderecht bei der zuständigen Aufsichtsbehörde. Eine
erteilte Einwilligung können Sie jederzeit widerrufen.</p>
<h2>4. Datenerfassung auf dieser Website</h2>
<h3>Cookies</h3>
<p>Unsere Website verwendet Cookies. Technisch notwendige Cookies werden auf Grundlage von Art. 6 Abs. 1 lit. f
DSGVO gespeichert; andere Cookies nur mit Ihrer Einwilligung. Sie können Ihren Browser so einstellen, dass Sie
über das Setzen von Cookies informiert werden.</p>
<h3>Kontaktformular</h3>
<p>Wenn Sie uns per Kontaktformular Anfragen zukommen lassen, werden Ihre Angaben zwecks Bearbeitung der Anfrage
bei uns gespeichert. Diese Daten geben wir nicht ohne Ihre Einwilligung weiter.</p>
<h3>Server-Log-Dateien</h3>
<p>Der Provider erhebt und speichert automatisch Informationen in Server-Log-Dateien, die Ihr Browser an uns
übermittelt: Browsertyp, Referrer-URL, Hostname, Uhrzeit der Serveranfrage und IP-Adresse.</p>
<h2>5. Newsletter</h2>
<p>Für den Newsletter benötigen wir Ihre E-Mail-Adresse. Rechtsgrundlage ist Ihre Einwilligung nach Art. 6 Abs. 1
lit. a DSGVO, die Sie jederzeit über den Abmeldelink widerrufen können.</p>
<p>Stand: März 2024</p>"""

DE_TERMS = """<h1>Allgemeine Geschäftsbedingungen</h1>
<h2>§ 1 Geltungsbereich</h2>
<p>Für alle Bestellungen über unseren Online-Shop durch Verbraucher und Unternehmer gelten die nachfolgenden AGB.
Vertragspartner ist die Sonnenkorn GmbH.</p>
<h2>§ 2 Vertragsschluss</h2>
<p>Die Darstellung der Produkte im Online-Shop stellt kein rechtlich bindendes Angebot dar. Durch Anklicken des
Buttons „Zahlungspflichtig bestellen“ geben Sie eine verbindliche Bestellung ab. Der Kaufvertrag kommt mit
unserer Auftragsbestätigung per E-Mail zustande.</p>
<h2>§ 3 Preise und Versandkosten</h2>
<p>Alle Preise enthalten die gesetzliche Umsatzsteuer. Zusätzlich fallen Versandkosten an, die im Warenkorb
ausgewiesen werden.</p>
<h2>§ 4 Zahlung</h2>
<p>Die Zahlung erfolgt per Vorkasse, PayPal oder Kreditkarte. Der Kaufpreis ist sofort fällig.</p>
<h2>§ 5 Eigentumsvorbehalt</h2>
<p>Die Ware bleibt bis zur vollständigen Bezahlung unser Eigentum.</p>
<h2>§ 6 Widerrufsrecht</h2>
<p>Verbrauchern steht ein Widerrufsrecht von vierzehn Tagen nach Maßgabe der Widerrufsbelehrung zu.</p>
<h2>§ 7 Gewährleistung und Haftung</h2>
<p>Es gilt das gesetzliche Mängelhaftungsrecht. Wir haften unbeschränkt bei Vorsatz und grober Fahrlässigkeit;
bei leichter Fahrlässigkeit nur bei Verletzung wesentlicher Vertragspflichten.</p>
<h2>§ 8 Datenschutz</h2>
<p>Wir verarbeiten Ihre personenbezogenen Daten (Name, Anschrift, E-Mail-Adresse, Zahlungsdaten) zur Abwicklung
des Vertrags nach Art. 6 Abs. 1 lit. b DSGVO und geben sie an den Versanddienstleister und den
Zahlungsdienstleister weiter. Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Widerspruch. Die
Daten werden nach Ablauf der steuer- und handelsrechtlichen Aufbewahrungsfristen gelöscht. Näheres in unserer
Datenschutzerklärung.</p>
<h2>§ 9 Schlussbestimmungen</h2>
<p>Es gilt das Recht der Bundesrepublik Deutschland unter Ausschluss des UN-Kaufrechts. Gerichtsstand für
Kaufleute ist Freiburg.</p>"""

DE_IMPRINT = """<h1>Impressum</h1>
<h2>Angaben gemäß § 5 DDG</h2>
<p>Sonnenkorn GmbH<br>Lindenstraße 4<br>79098 Freiburg</p>
<p>Handelsregister: HRB 712345, Registergericht: Amtsgericht Freiburg<br>Vertreten durch die Geschäftsführerin
Anna Beispiel</p>
<h2>Kontakt</h2><p>Telefon: +49 761 000000<br>E-Mail: info@sonnenkorn.example</p>
<h2>Umsatzsteuer-ID</h2><p>Umsatzsteuer-Identifikationsnummer gemäß § 27a UStG: DE123456789</p>
<h2>Verbraucherstreitbeilegung</h2><p>Wir sind nicht bereit oder verpflichtet, an Streitbeilegungsverfahren vor
einer Verbraucherschlichtungsstelle teilzunehmen.</p>
<h2>Haftung für Inhalte</h2>
<p>Als Diensteanbieter sind wir für eigene Inhalte auf diesen Seiten nach den allgemeinen Gesetzen
verantwortlich. Wir sind jedoch nicht verpflichtet, übermittelte oder gespeicherte fremde Informationen zu
überwachen.</p>
<h2>Haftung für Links</h2>
<p>Unser Angebot enthält Links zu externen Websites Dritter, auf deren Inhalte wir keinen Einfluss haben. Für die
Inhalte der verlinkten Seiten ist stets der jeweilige Anbieter verantwortlich.</p>
<h2>Urheberrecht</h2>
<p>Die durch die Seitenbetreiber erstellten Inhalte und Werke auf diesen Seiten unterliegen dem deutschen
Urheberrecht.</p>
<h2>Datenschutz</h2>
<p>Die Nutzung unserer Webseite ist in der Regel ohne Angabe personenbezogener Daten möglich. Soweit auf unseren
Seiten personenbezogene Daten (beispielsweise Name, Anschrift oder E-Mail-Adressen) erhoben werden, erfolgt dies
stets auf freiwilliger Basis. Diese Daten werden ohne Ihre ausdrückliche Zustimmung nicht an Dritte
weitergegeben. Wir weisen darauf hin, dass die Datenübertragung im Internet Sicherheitslücken aufweisen kann.
Sie haben das Recht auf Auskunft und Löschung Ihrer gespeicherten Daten.</p>"""

DE_COMMUNITY_TERMS = """<h1>Nutzungsbedingungen für das Forum</h1>
<p>Mit der Registrierung im Forum stimmen Sie diesen Nutzungsbedingungen zu.</p>
<h2>1. Registrierung</h2><p>Für die Nutzung ist eine Registrierung mit E-Mail-Adresse und Benutzernamen
erforderlich. Sie sind für die Geheimhaltung Ihres Passworts verantwortlich.</p>
<h2>2. Verhaltensregeln</h2><p>Beleidigungen, Werbung und rechtswidrige Inhalte sind verboten. Wir dürfen
Beiträge löschen und Konten sperren, wenn gegen diese Regeln verstoßen wird.</p>
<h2>3. Nutzungsrechte</h2><p>Sie räumen uns ein einfaches Nutzungsrecht an Ihren Beiträgen ein.</p>
<h2>4. Datenschutz</h2><p>Bei der Registrierung speichern wir Ihre E-Mail-Adresse, Ihren Benutzernamen und Ihre
IP-Adresse. Diese personenbezogenen Daten verwenden wir nur für den Betrieb des Forums und geben sie nicht an
Dritte weiter. Sie können Ihr Konto jederzeit löschen lassen; Ihre Rechte auf Auskunft und Berichtigung bleiben
unberührt.</p>
<h2>5. Haftung</h2><p>Für Inhalte der Nutzer übernehmen wir keine Haftung. Die Kündigung ist jederzeit
möglich.</p>"""

DE_COOKIES = """<h1>Cookie-Richtlinie</h1>
<p>Diese Cookie-Richtlinie erklärt, welche Cookies wir auf unserer Website einsetzen und wie Sie Ihre
Einwilligung verwalten.</p>
<h2>Was sind Cookies?</h2><p>Cookies sind kleine Textdateien, die Ihr Browser auf Ihrem Endgerät speichert.</p>
<h2>Unbedingt erforderliche Cookies</h2><p>Diese Cookies sind für den Betrieb der Website notwendig, etwa für den
Warenkorb und die Speicherung Ihrer Cookie-Einstellungen. Sie können nicht abgewählt werden.</p>
<h2>Statistik-Cookies</h2><p>Mit Ihrer Einwilligung setzen wir Matomo ein, um die Nutzung der Website zu messen.
Die Cookies werden nach 13 Monaten gelöscht.</p>
<h2>Marketing-Cookies</h2><p>Mit Ihrer Einwilligung setzen unsere Werbepartner Cookies und Pixel, um Ihnen
passende Anzeigen zu zeigen.</p>
<h2>Ihre Einstellungen</h2><p>Sie können Ihre Einwilligung jederzeit über die Cookie-Einstellungen im Footer
widerrufen oder Cookies in Ihren Browsereinstellungen löschen.</p>"""

DE_SHORT_POLICY = """<h1>Datenschutzhinweise des Turnvereins</h1>
<p>Verantwortlich für die Verarbeitung personenbezogener Daten auf dieser Website ist der Turnverein Grünwald
1890 e.V., vertreten durch den Vorstand.</p>
<h2>Welche Daten wir verarbeiten</h2><p>Beim Besuch der Website speichert unser Hoster Ihre IP-Adresse für sieben
Tage in Server-Logfiles. Wenn Sie uns über das Anmeldeformular schreiben, verarbeiten wir Ihren Namen, Ihre
E-Mail-Adresse und Ihre Nachricht, um Ihre Anfrage zu beantworten.</p>
<h2>Rechtsgrundlage und Speicherdauer</h2><p>Rechtsgrundlage ist Art. 6 Abs. 1 lit. b und f DSGVO. Wir löschen Ihre
Daten, sobald Ihre Anfrage erledigt ist, spätestens nach einem Jahr.</p>
<h2>Ihre Rechte</h2><p>Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung
und Widerspruch sowie ein Beschwerderecht bei der Aufsichtsbehörde. Schreiben Sie an
datenschutz@tv-gruenwald.example.</p>"""

FR_POLICY = """<h1>Politique de confidentialité</h1>
<p>Dernière mise à jour : 12 février 2024</p>
<p>La présente politique de confidentialité explique comment Atelier Lumière SARL collecte et utilise vos données
personnelles lorsque vous utilisez notre site et notre boutique en ligne.</p>
<h2>Responsable du traitement</h2><p>Le responsable du traitement est Atelier Lumière SARL, 12 rue des Arts, 69001
Lyon. Contact : dpo@atelier-lumiere.example.</p>
<h2>Données collectées</h2><p>Nous collectons vos nom, prénom, adresse postale, adresse électronique, numéro de
téléphone et l'historique de vos commandes, ainsi que des données de connexion (adresse IP, navigateur).</p>
<h2>Finalités et bases légales</h2><p>Vos données sont traitées pour gérer vos commandes (exécution du contrat),
vous adresser notre lettre d'information (consentement) et sécuriser le site (intérêt légitime).</p>
<h2>Destinataires</h2><p>Vos données sont destinées à nos services internes et à nos sous-traitants : hébergeur,
prestataire de paiement et transporteur. Elles ne sont jamais vendues.</p>
<h2>Durée de conservation</h2><p>Les données clients sont conservées trois ans après le dernier achat ; les
données de facturation dix ans, conformément à nos obligations légales.</p>
<h2>Vos droits</h2><p>Conformément au RGPD, vous disposez d'un droit d'accès, de rectification, d'effacement,
d'opposition, de limitation et de portabilité de vos données. Vous pouvez introduire une réclamation auprès de
la CNIL.</p>
<h2>Cookies</h2><p>Pour en savoir plus sur les cookies et traceurs, consultez notre page Gestion des cookies.</p>"""

FR_IMPRINT = """<h1>Mentions légales</h1>
<h2>Éditeur du site</h2><p>Atelier Lumière SARL au capital social de 10 000 €, RCS Lyon 812 345 678, siège social
: 12 rue des Arts, 69001 Lyon. Numéro de TVA intracommunautaire : FR12812345678.</p>
<h2>Directeur de la publication</h2><p>Claire Exemple, gérante.</p>
<h2>Hébergeur</h2><p>Le site est hébergé par OVH SAS, 2 rue Kellermann, 59100 Roubaix.</p>
<h2>Propriété intellectuelle</h2><p>L'ensemble des contenus du site (textes, photographies, logos) est protégé
par le droit d'auteur. Toute reproduction sans autorisation est interdite.</p>
<h2>Données personnelles</h2><p>Les informations recueillies via le formulaire de contact sont enregistrées par
Atelier Lumière pour répondre à vos demandes et conservées pendant un an. Conformément au RGPD et à la loi
Informatique et Libertés, vous disposez d'un droit d'accès, de rectification et de suppression de vos données
personnelles, que vous pouvez exercer en écrivant à contact@atelier-lumiere.example.</p>
<h2>Cookies</h2><p>Le site utilise des cookies de mesure d'audience. Vous pouvez les refuser dans les paramètres
de votre navigateur.</p>"""

FR_TERMS = """<h1>Conditions générales de vente</h1>
<h2>Article 1 – Objet</h2><p>Les présentes conditions générales de vente régissent les ventes conclues sur la
boutique en ligne d'Atelier Lumière. Toute commande vaut acceptation des présentes conditions.</p>
<h2>Article 2 – Prix</h2><p>Les prix sont indiqués en euros toutes taxes comprises, hors frais de livraison.</p>
<h2>Article 3 – Commande et paiement</h2><p>Le contrat est conclu à la confirmation de la commande. Le paiement
s'effectue par carte bancaire ; il est exigible immédiatement.</p>
<h2>Article 4 – Livraison</h2><p>Les produits sont livrés à l'adresse indiquée dans un délai de cinq jours
ouvrés.</p>
<h2>Article 5 – Droit de rétractation</h2><p>Vous disposez de quatorze jours pour exercer votre droit de
rétractation sans avoir à justifier de motifs.</p>
<h2>Article 6 – Garanties et responsabilité</h2><p>Les produits bénéficient de la garantie légale de conformité
et de la garantie des vices cachés. Notre responsabilité ne saurait être engagée en cas de force majeure.</p>
<h2>Article 7 – Données personnelles</h2><p>Les données personnelles collectées lors de la commande (nom,
adresse, courriel) sont nécessaires à son traitement et transmises au transporteur. Vous disposez d'un droit
d'accès, de rectification et d'opposition. Voir notre politique de confidentialité.</p>
<h2>Article 8 – Droit applicable et litiges</h2><p>Les présentes conditions sont soumises au droit français. En
cas de litige, les tribunaux de Lyon sont seuls compétents.</p>"""

FR_USE_TERMS = """<h1>Conditions générales d'utilisation</h1>
<p>En accédant à l'application, vous acceptez sans réserve les présentes CGU.</p>
<h2>1. Accès au service</h2><p>Le service est accessible gratuitement à tout utilisateur disposant d'un compte.
Nous pouvons suspendre ou résilier votre compte en cas de manquement aux présentes CGU.</p>
<h2>2. Comportement de l'utilisateur</h2><p>Il est interdit de publier des contenus illicites, injurieux ou
contraires aux droits des tiers.</p>
<h2>3. Protection des données personnelles</h2><p>Nous collectons votre adresse électronique et vos données
d'usage pour fournir le service. Vous disposez d'un droit d'accès et de suppression de vos données
personnelles ; les détails figurent dans notre politique de confidentialité.</p>
<h2>4. Responsabilité</h2><p>L'éditeur ne saurait être tenu responsable des interruptions du service.</p>
<h2>5. Droit applicable</h2><p>Les présentes CGU sont régies par le droit français.</p>"""

FR_COOKIES = """<h1>Politique de gestion des cookies</h1>
<p>Cette politique vous informe sur les cookies et autres traceurs déposés lorsque vous visitez notre site.</p>
<h2>Qu'est-ce qu'un cookie ?</h2><p>Un cookie est un petit fichier texte enregistré sur votre terminal lors de la
consultation d'un site.</p>
<h2>Cookies strictement nécessaires</h2><p>Ils permettent le fonctionnement du panier et la mémorisation de vos
choix ; ils ne requièrent pas votre consentement.</p>
<h2>Cookies de mesure d'audience</h2><p>Avec votre consentement, nous utilisons des traceurs pour mesurer la
fréquentation du site. Ils sont conservés treize mois.</p>
<h2>Cookies publicitaires</h2><p>Avec votre consentement, nos partenaires déposent des cookies et pixels pour
vous proposer des publicités adaptées.</p>
<h2>Paramétrer vos choix</h2><p>Vous pouvez retirer votre consentement à tout moment depuis le lien Gestion des
cookies ou dans les paramètres de votre navigateur.</p>"""

FR_CHARTER = """<h1>Charte de protection des données personnelles</h1>
<p>L'Association Les Amis du Vélo attache une grande importance à la protection de vos données personnelles.
Cette charte décrit les traitements que nous mettons en œuvre.</p>
<h2>Quelles données collectons-nous ?</h2><p>Lors de votre adhésion, nous collectons vos nom, prénom, date de
naissance, adresse électronique et numéro de téléphone.</p>
<h2>Pourquoi ?</h2><p>Ces données servent à gérer les adhésions, organiser les sorties et vous envoyer les
informations de l'association. La base légale est l'exécution du contrat d'adhésion.</p>
<h2>Qui y a accès ?</h2><p>Seuls les membres du bureau y ont accès ; la fédération reçoit vos nom et prénom pour
la licence.</p>
<h2>Combien de temps ?</h2><p>Vos données sont conservées pendant la durée de l'adhésion et deux ans après.</p>
<h2>Vos droits</h2><p>Vous disposez d'un droit d'accès, de rectification, d'effacement et d'opposition, et du droit
d'introduire une réclamation auprès de la CNIL. Écrivez à rgpd@amis-du-velo.example.</p>"""

# name -> (language, <title>, main content, page type expected)
PAGES: dict[str, tuple[str, str, str, str]] = {
    "de_policy": ("de", "Datenschutz | Bäckerei Sonnenkorn", DE_POLICY, "privacy_policy"),
    "de_short_policy": ("de", "Turnverein Grünwald 1890 e.V.", DE_SHORT_POLICY, "privacy_policy"),
    "de_agb": ("de", "AGB | Bäckerei Sonnenkorn", DE_TERMS, "other_legal"),
    "de_impressum": ("de", "Impressum | Bäckerei Sonnenkorn", DE_IMPRINT, "other_legal"),
    "de_nutzungsbedingungen": ("de", "Forum Sonnenkorn", DE_COMMUNITY_TERMS, "other_legal"),
    "de_cookies": ("de", "Cookie-Richtlinie | Bäckerei Sonnenkorn", DE_COOKIES, "cookie_notice"),
    "fr_policy": ("fr", "Politique de confidentialité – Atelier Lumière", FR_POLICY, "privacy_policy"),
    "fr_charter": ("fr", "Les Amis du Vélo", FR_CHARTER, "privacy_policy"),
    "fr_mentions": ("fr", "Mentions légales – Atelier Lumière", FR_IMPRINT, "other_legal"),
    "fr_cgv": ("fr", "CGV – Atelier Lumière", FR_TERMS, "other_legal"),
    "fr_cgu": ("fr", "Application Lumière", FR_USE_TERMS, "other_legal"),
    "fr_cookies": ("fr", "Cookies – Atelier Lumière", FR_COOKIES, "cookie_notice"),
}


def html_page(name: str) -> bytes:
    """The page `name` as a site serves it: its title, the site's header and footer around its content."""
    language, title, main, _ = PAGES[name]
    header, footer = DE_CHROME if language == "de" else FR_CHROME
    return (
        f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body>{header}<main>{main}</main>{footer}</body></html>"
    ).encode()
