/// Every page template by name, parsed once by `PageRenderer`. Pages extend `layout` (Mustache inheritance:
/// `{{<layout}}{{$main}}…{{/main}}{{/layout}}`); `{{{…HTML}}}` only ever prints a `SafeHTML` field.
///
/// Tags that pull in partials or blocks stay at the start of their line: swift-mustache indents a partial's
/// lines by the tag's indentation, which would shift the text of `<pre>` blocks.
enum Templates {
    static let all: [(String, String)] = [
        ("layout", layout),
        ("leaderboard", Leaderboard.page),
        ("agent", AgentTemplates.page),
        ("agent-live", AgentTemplates.live),
        ("run", RunTemplates.page),
        ("run-live", RunTemplates.live),
        ("trajectory", TrajectoryTemplates.page),
        ("races", RaceTemplates.list),
        ("race", RaceTemplates.detail),
        ("miner", MinerTemplates.page),
        ("corpus", CorpusTemplates.page),
        ("validators", ValidatorTemplates.page),
        ("not-found", ErrorTemplates.notFound),
        ("error", ErrorTemplates.failure),
        ("hotkey", hotkey),
        ("status", status),
    ]

    /// The document around every page: skip link, navigation, main landmark, footer with the API links.
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>{{layout.title}} · ShopArena</title>
        <meta name="description" content="{{layout.description}}">
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/assets/site.css">
        <script src="/assets/site.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
        <nav class="wrap" aria-label="Main">
        <a class="brand" href="/"><svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><path d="M4 7h16l-1.5 11.5a2 2 0 0 1-2 1.5h-9a2 2 0 0 1-2-1.5z" fill="none" stroke="currentColor" stroke-width="2"/><path d="M9 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="2"/></svg>ShopArena</a>
        <ul>
        <li><a href="/"{{#layout.navBoard}} aria-current="page"{{/layout.navBoard}}>Leaderboard</a></li>
        <li><a href="/races"{{#layout.navRaces}} aria-current="page"{{/layout.navRaces}}>Races</a></li>
        <li><a href="/validators"{{#layout.navValidators}} aria-current="page"{{/layout.navValidators}}>Validators</a></li>
        <li><a href="/corpus"{{#layout.navCorpus}} aria-current="page"{{/layout.navCorpus}}>Corpus</a></li>
        </ul>
        </nav>
        </header>
        <main id="main" class="wrap" tabindex="-1">
        {{$main}}{{/main}}
        </main>
        <footer class="site">
        <div class="wrap">
        <p>ShopArena — an open arena for LLM shopping agents. Data: <a href="/v1/public/leaderboard">public API</a> · <a href="/openapi.json">OpenAPI</a>. Times are UTC.</p>
        </div>
        </footer>
        </body>
        </html>

        """

    /// A hotkey: short form linked to the miner page, the full address for screen readers and a copy button.
    /// Context: `hotkey` (`HotkeyView`).
    static let hotkey = """
        <span class="hotkey">{{#hotkey.isMiner}}<a href="{{hotkey.href}}" title="{{hotkey.full}}">{{/hotkey.isMiner}}<code>{{hotkey.short}}</code>{{#hotkey.isMiner}}</a>{{/hotkey.isMiner}}<button type="button" class="copy" data-copy="{{hotkey.full}}" aria-label="Copy hotkey {{hotkey.full}}">Copy</button></span>
        """

    /// A status badge. Context: `status` (`StatusView`).
    static let status = """
        <span class="badge s-{{status.css}}"{{#status.hint}} title="{{status.hint}}"{{/status.hint}}>{{status.label}}</span>
        """
}
