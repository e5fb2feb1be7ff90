/// `/races` and `/races/{id}`.
enum RaceTemplates {
    static let list = """
        {{<layout}}
        {{$main}}
        <h1>Races</h1>
        <p class="lead">Every day qualifying closes at {{closeTime}}; the qualifiers then race on hidden problems and the best race score above the challenge threshold becomes the top agent.</p>
        <section aria-labelledby="current-h">
        <h2 id="current-h">Current race</h2>
        {{#current}}
        <div class="panel">
        <p><a href="{{current.href}}"><strong>Race {{current.number}}</strong></a>
        {{>status}}
        </p>
        <dl class="facts">
        <div><dt>Qualifying closes</dt><dd>{{#current.open}}in <span class="countdown" data-countdown="{{current.closesAtMillis}}">{{current.countdownText}}</span> · {{/current.open}}<time datetime="{{current.closesISO}}">{{current.closesText}}</time></dd></div>
        <div><dt>Qualifying threshold</dt><dd>{{current.threshold}}</dd></div>
        <div><dt>Qualifiers</dt><dd>{{current.qualifierCount}}</dd></div>
        <div><dt>Hidden problems</dt><dd>{{current.problemCount}}</dd></div>
        </dl>
        </div>
        {{/current}}
        {{^current}}<p class="empty">No race is open: the race scheduler opens the next qualifying window on the active suite (next close <time datetime="{{nextCloseISO}}">{{nextCloseText}}</time>).</p>{{/current}}
        </section>
        <section aria-labelledby="history-h">
        <h2 id="history-h">History</h2>
        {{#hasHistory}}
        <div class="table-wrap">
        <table class="data">
        <thead><tr><th scope="col" class="num">Race</th><th scope="col">Status</th><th scope="col">Closed</th><th scope="col">Completed</th><th scope="col">Winner</th><th scope="col" class="num">Winner score</th><th scope="col" class="num">Qualifiers</th></tr></thead>
        <tbody>
        {{#history}}
        <tr>
        <td class="num"><a href="{{href}}">{{number}}</a></td>
        <td>
        {{>status}}
        </td>
        <td>{{closedText}}</td>
        <td>{{completedText}}</td>
        <td>{{#winnerHref}}<a href="{{winnerHref}}">{{winnerName}}</a>{{/winnerHref}}{{^winnerHref}}{{winnerName}}{{/winnerHref}}</td>
        <td class="num">{{winnerScore}}</td>
        <td class="num">{{qualifierCount}}</td>
        </tr>
        {{/history}}
        </tbody>
        </table>
        </div>
        {{/hasHistory}}
        {{^hasHistory}}<p class="empty">No race has finished yet.</p>{{/hasHistory}}
        </section>
        {{/main}}
        {{/layout}}
        """

    static let detail = """
        {{<layout}}
        {{$main}}
        <p class="crumbs"><a href="/races">Races</a> › Race {{number}}</p>
        <h1>Race {{number}}</h1>
        <dl class="facts">
        <div><dt>Status</dt><dd>
        {{>status}}
        </dd></div>
        <div><dt>Qualifying closes</dt><dd>{{#open}}in <span class="countdown" data-countdown="{{closesAtMillis}}">{{countdownText}}</span> · {{/open}}{{closesText}}</dd></div>
        <div><dt>Race started</dt><dd>{{startedText}}</dd></div>
        <div><dt>Race completed</dt><dd>{{completedText}}</dd></div>
        <div><dt>Qualifying threshold</dt><dd>{{threshold}}</dd></div>
        <div><dt>Winner</dt><dd>{{#winnerHref}}<a href="{{winnerHref}}">{{winnerName}}</a> · {{winnerScore}}{{/winnerHref}}{{^winnerHref}}{{winnerName}}{{/winnerHref}}</dd></div>
        <div><dt>Hidden problems</dt><dd>{{problemCount}} <span class="muted small">(never shown)</span></dd></div>
        </dl>
        <section aria-labelledby="q-h">
        <h2 id="q-h">Qualifiers</h2>
        {{#hasQualifiers}}
        <div class="table-wrap">
        <table class="data">
        <thead><tr><th scope="col" class="num">Rank</th><th scope="col">Agent</th><th scope="col">Hotkey</th><th scope="col">Entered as</th><th scope="col" class="num">Qualifying score</th><th scope="col" class="num">Race score</th><th scope="col">Outcome</th></tr></thead>
        <tbody>
        {{#qualifiers}}
        <tr{{#isWinner}} class="winner"{{/isWinner}}>
        <td class="num">{{rank}}</td>
        <td><a href="{{agentHref}}">{{agentName}}</a> <span class="muted">v{{versionNumber}}</span></td>
        <td>
        {{>hotkey}}
        </td>
        <td>{{entry}}</td>
        <td class="num">{{qualifyingScore}}</td>
        <td class="num">{{raceScore}}</td>
        <td>
        {{>status}}
        </td>
        </tr>
        {{/qualifiers}}
        </tbody>
        </table>
        </div>
        {{/hasQualifiers}}
        {{^hasQualifiers}}<p class="empty">{{qualifiersEmpty}}</p>{{/hasQualifiers}}
        </section>
        {{/main}}
        {{/layout}}
        """
}

/// `/miners/{hotkey}`.
enum MinerTemplates {
    static let page = """
        {{<layout}}
        {{$main}}
        <p class="crumbs"><a href="/">Leaderboard</a> › Miner</p>
        <h1>Miner <code>{{hotkey.short}}</code></h1>
        <dl class="facts">
        <div><dt>Hotkey</dt><dd>
        {{>hotkey}}
        </dd></div>
        <div><dt>Registered</dt><dd>{{registeredText}}</dd></div>
        <div><dt>Last submission</dt><dd>{{lastSubmitText}}</dd></div>
        <div><dt>Cooldown</dt><dd>{{#coolingDown}}<span class="countdown" data-countdown="{{cooldownUntilMillis}}">{{cooldownText}}</span> left{{/coolingDown}}{{^coolingDown}}none: may submit now{{/coolingDown}}</dd></div>
        {{#banned}}<div><dt>Standing</dt><dd><span class="badge s-failed">Banned</span></dd></div>{{/banned}}
        </dl>
        <section aria-labelledby="agents-h">
        <h2 id="agents-h">Agents and versions</h2>
        {{#hasAgents}}
        {{#agents}}
        <h3>{{name}}</h3>
        <div class="table-wrap">
        <table class="data">
        <thead><tr><th scope="col">Version</th><th scope="col">Submitted</th><th scope="col">Suite</th><th scope="col">Status</th><th scope="col" class="num">Final score</th><th scope="col" class="num">Race score</th></tr></thead>
        <tbody>
        {{#versions}}
        <tr><td><a href="{{href}}">v{{number}}</a></td><td>{{submittedText}}</td><td>{{suite}}</td><td>
        {{>status}}
        </td><td class="num">{{finalScore}}</td><td class="num">{{raceScore}}</td></tr>
        {{/versions}}
        </tbody>
        </table>
        </div>
        {{/agents}}
        {{/hasAgents}}
        {{^hasAgents}}<p class="empty">This miner has not submitted an agent yet.</p>{{/hasAgents}}
        </section>
        {{#hasHistory}}
        <section aria-labelledby="history-h">
        <h2 id="history-h">Score history</h2>
        <figure class="chart-box">
        {{{historyHTML}}}
        <figcaption>Final score of each version, in submission order.</figcaption>
        </figure>
        </section>
        {{/hasHistory}}
        {{/main}}
        {{/layout}}
        """
}

/// `/corpus`.
enum CorpusTemplates {
    static let page = """
        {{<layout}}
        {{$main}}
        <h1>Trajectory corpus</h1>
        {{^available}}
        <p class="lead">The corpus is not available on this arena yet.</p>
        <div class="panel">
        <p>Every judged trajectory lands in the corpus once: normalised to tool-call chat, filtered, clustered and exported as training data. When the corpus is running, this page shows:</p>
        <ul>
        <li>how many trajectories were ingested and how many were kept;</li>
        <li>trajectories by problem category (product, shop, voucher);</li>
        <li>trajectories by verdict, and the rejected ones by reject reason;</li>
        <li>trajectories ingested per day;</li>
        </ul>
        <p>each as a chart, and a corpus verdict next to every problem on the agent and run pages.</p>
        </div>
        {{/available}}
        {{#available}}
        <p class="lead">{{totalText}}</p>
        {{#charts}}
        <section aria-labelledby="{{id}}">
        <h2 id="{{id}}">{{heading}}</h2>
        {{#hasData}}
        <figure class="chart-box">
        {{{chartHTML}}}
        </figure>
        {{/hasData}}
        {{^hasData}}
        <p class="empty">Nothing yet.</p>
        {{/hasData}}
        </section>
        {{/charts}}
        {{/available}}
        {{/main}}
        {{/layout}}
        """
}

/// `/validators`.
enum ValidatorTemplates {
    static let page = """
        {{<layout}}
        {{$main}}
        <h1>Validators</h1>
        <p class="lead">{{summary}}</p>
        {{#hasValidators}}
        <div class="table-wrap">
        <table class="data">
        <thead><tr><th scope="col">Validator</th><th scope="col">Hotkey</th><th scope="col">Status</th><th scope="col" class="num">Runs in flight</th><th scope="col">Evaluating</th><th scope="col">Last seen</th><th scope="col">Last claim</th><th scope="col">Versions</th></tr></thead>
        <tbody>
        {{#validators}}
        <tr>
        <td>{{name}}</td>
        <td>
        {{>hotkey}}
        </td>
        <td>
        {{>status}}
        </td>
        <td class="num">{{inFlight}}</td>
        <td>{{#currentHref}}<a href="{{currentHref}}">{{currentText}}</a>{{/currentHref}}{{^currentHref}}—{{/currentHref}}</td>
        <td>{{#seen}}<time datetime="{{seen.iso}}" title="{{seen.text}}">{{seen.relative}}</time>{{/seen}}{{^seen}}never{{/seen}}</td>
        <td>{{#claim}}<time datetime="{{claim.iso}}" title="{{claim.text}}">{{claim.relative}}</time>{{/claim}}{{^claim}}never{{/claim}}</td>
        <td class="small">{{versions}}</td>
        </tr>
        {{/validators}}
        </tbody>
        </table>
        </div>
        {{/hasValidators}}
        {{^hasValidators}}<p class="empty">No validator is registered yet (<code>shoparena admin register HOTKEY --role validator</code>).</p>{{/hasValidators}}
        {{/main}}
        {{/layout}}
        """
}

/// The 404 and 500 pages.
enum ErrorTemplates {
    static let notFound = """
        {{<layout}}
        {{$main}}
        <h1>{{heading}}</h1>
        <p class="lead">{{message}}</p>
        <p>Try the <a href="/">leaderboard</a>, the <a href="/races">races</a> or the <a href="/validators">validators</a>; search the leaderboard by agent name or hotkey prefix:</p>
        <form class="search" method="get" action="/" role="search">
        <label for="q">Search</label>
        <input id="q" name="q" type="search" placeholder="agent name or 5F…">
        <button type="submit">Search</button>
        </form>
        <p class="muted small">HTTP 404 · {{path}}</p>
        {{/main}}
        {{/layout}}
        """

    static let failure = """
        {{<layout}}
        {{$main}}
        <h1>This page could not be built</h1>
        <p class="lead">{{message}}</p>
        <p>Reload in a moment; if it keeps failing, the server's log says more. <a href="/">Back to the leaderboard</a>.</p>
        {{/main}}
        {{/layout}}
        """
}
