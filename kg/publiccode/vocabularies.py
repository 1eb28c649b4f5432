"""The closed lists of the publiccode.yml standard (v0.7): facts of the standard, as data.

Each list is the set of values the standard allows for one key; the validator checks values
against them and the mapping turns some of them into IRIs.
"""

from __future__ import annotations

# publiccodeYmlVersion values the 0 series accepts, in the reference validator's order (its
# "unsupported version" message lists them so). Any but "0" and 0.7.x gives a warning.
SUPPORTED_VERSIONS: tuple[str, ...] = (
    "0",
    "0.2",
    "0.2.0",
    "0.2.1",
    "0.2.2",
    "0.3",
    "0.3.0",
    "0.4",
    "0.4.0",
    "0.5.0",
    "0.5",
    "0.7.0",
    "0.7",
)
LATEST_VERSION = "0.7"

DEVELOPMENT_STATUSES: tuple[str, ...] = ("concept", "development", "beta", "stable", "obsolete")

SOFTWARE_TYPES: tuple[str, ...] = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)

MAINTENANCE_TYPES: tuple[str, ...] = ("internal", "contract", "community", "none")

# `platforms` names these; any other human-readable value is allowed too.
PLATFORMS: tuple[str, ...] = ("web", "windows", "mac", "linux", "ios", "android")

# IT.countryExtensionVersion: "1.0" is the standard's; the reference also accepts "0.2".
IT_EXTENSION_VERSIONS: tuple[str, ...] = ("0.2", "1.0")

CATEGORIES: frozenset[str] = frozenset(
    [
        "accounting",
        "agile-project-management",
        "applicant-tracking",
        "application-development",
        "appointment-scheduling",
        "backup",
        "billing-and-invoicing",
        "blog",
        "budgeting",
        "business-intelligence",
        "business-process-management",
        "cad",
        "call-center-management",
        "cloud-management",
        "collaboration",
        "communications",
        "compliance-management",
        "contact-management",
        "content-management",
        "crm",
        "customer-service-and-support",
        "data-analytics",
        "data-collection",
        "data-visualization",
        "design",
        "design-system",
        "digital-asset-management",
        "digital-citizenship",
        "document-management",
        "donor-management",
        "e-commerce",
        "e-signature",
        "educational-content",
        "email-management",
        "email-marketing",
        "employee-management",
        "enterprise-project-management",
        "enterprise-social-networking",
        "erp",
        "event-management",
        "facility-management",
        "feedback-and-reviews-management",
        "financial-reporting",
        "fleet-management",
        "fundraising",
        "gamification",
        "geographic-information-systems",
        "grant-management",
        "graphic-design",
        "help-desk",
        "hr",
        "ide",
        "identity-management",
        "instant-messaging",
        "integrated-library-system",
        "inventory-management",
        "it-asset-management",
        "it-development",
        "it-management",
        "it-security",
        "it-service-management",
        "knowledge-management",
        "learning-management-system",
        "marketing",
        "mind-mapping",
        "mobile-marketing",
        "mobile-payment",
        "network-management",
        "office",
        "online-booking",
        "online-community",
        "payment-gateway",
        "payroll",
        "predictive-analysis",
        "procurement",
        "productivity-suite",
        "project-collaboration",
        "project-management",
        "property-management",
        "real-estate-management",
        "regulations-and-directives",
        "remote-support",
        "resource-management",
        "sales-management",
        "seo",
        "service-desk",
        "social-media-management",
        "survey",
        "talent-management",
        "task-management",
        "taxes-management",
        "test-management",
        "time-management",
        "time-tracking",
        "translation",
        "video-conferencing",
        "video-editing",
        "visitor-management",
        "voip",
        "warehouse-management",
        "web-collaboration",
        "web-conferencing",
        "whistleblowing",
        "website-builder",
        "workflow-management",
        "other",
    ]
)

SCOPES: frozenset[str] = frozenset(
    [
        "agriculture",
        "culture",
        "defence",
        "education",
        "emergency-services",
        "employment",
        "energy",
        "environment",
        "finance-and-economic-development",
        "foreign-affairs",
        "government",
        "healthcare",
        "infrastructures",
        "justice",
        "local-authorities",
        "manufacturing",
        "research",
        "science-and-technology",
        "security",
        "society",
        "sport",
        "tourism",
        "transportation",
        "welfare",
    ]
)

# `supports[].id` aliases (alias:<name>); the EU ones name a law by its ELI URI, the others
# Italian platforms.
SUPPORTS_ALIASES: frozenset[str] = frozenset(
    ("gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io")
)
ALIAS_URIS: dict[str, str] = {
    "gdpr": "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
    "eidas": "https://eur-lex.europa.eu/eli/reg/2014/910/oj",
    "nis2": "https://eur-lex.europa.eu/eli/dir/2022/2555/oj",
    "cra": "https://eur-lex.europa.eu/eli/reg/2024/2847/oj",
}

# PeerTube instances (each answers oEmbed for its videos and playlists: /w/<id>, /w/p/<id>,
# /videos/watch/<id>, /videos/embed/<id>) whose videos the BlueHats pages of code.gouv.fr link
# to (../shared/corpora/bluehats-pages; tests/publiccode/test_formats.py reads them).
PEERTUBE_HOSTS: tuple[str, ...] = (
    "tube.numerique.gouv.fr",
    "tube.ac-lyon.fr",
    "tube-institutionnel.apps.education.fr",
    "tube-numerique-educatif.apps.education.fr",
    "peertube.xwiki.com",
    "replay.jres.org",
    "video.echirolles.fr",
)

# Video hosts with an oEmbed endpoint (the common ones and the public sector's PeerTube
# instances above; `*` is any text).
OEMBED_SCHEMES: tuple[str, ...] = (
    "https://*.youtube.com/watch*",
    "https://*.youtube.com/v/*",
    "https://youtube.com/watch*",
    "https://youtu.be/*",
    "https://*.youtube.com/playlist?list=*",
    "https://youtube.com/playlist?list=*",
    "https://*.youtube.com/shorts*",
    "https://vimeo.com/*",
    "https://player.vimeo.com/video/*",
    "https://www.dailymotion.com/video/*",
    "https://dai.ly/*",
    "https://*.youtube.com/live/*",
    *(f"https://{host}{path}" for host in PEERTUBE_HOSTS
      for path in ("/w/*", "/videos/watch/*", "/videos/embed/*")),
)

LOGO_EXTENSIONS: tuple[str, ...] = (".svg", ".svgz", ".png")
SCREENSHOT_EXTENSIONS: tuple[str, ...] = (".jpg", ".png")
