/// `/agents/{version}` and its live fragment `/agents/{version}/live` (progress, runs, per-problem matrix).
enum AgentTemplates {
    static let page = """
        {{<layout}}
        {{$main}}
        <p class="crumbs"><a href="/">Leaderboard</a> › <a href="{{minerHref}}">Miner {{hotkey.short}}</a> › Agent</p>
        <h1>{{agentName}} <span class="muted">v{{versionNumber}}</span></h1>
        <dl class="facts">
        <div><dt>Status</dt><dd>
        {{>status}}
        </dd></div>
        <div><dt>Miner</dt><dd>
        {{>hotkey}}
        </dd></div>
        <div><dt>Submitted</dt><dd><time datetime="{{submitted.iso}}">{{submitted.text}}</time></dd></div>
        <div><dt>Final score</dt><dd class="big">{{finalScore}}</dd></div>
        <div><dt>Race score</dt><dd>{{raceScore}}</dd></div>
        <div><dt>Reasoning coefficient</dt><dd>{{reasoningCoefficient}}</dd></div>
        <div><dt>Eligible since</dt><dd>{{eligibleText}}</dd></div>
        <div><dt>Code</dt><dd>{{#codeReleased}}<a href="{{codeHref}}" download="agent.py">Download agent.py</a> <span class="muted">({{codeSize}})</span>{{/codeReleased}}{{^codeReleased}}<span class="muted">{{codeNote}}</span>{{/codeReleased}}</dd></div>
        </dl>
        <div id="live" data-live-src="{{liveSrc}}" aria-live="polite">
        {{#live}}
        {{>agent-live}}
        {{/live}}
        </div>
        <section aria-labelledby="history-h">
        <h2 id="history-h">Score history of this miner's versions</h2>
        {{#hasHistory}}
        <figure class="chart-box">
        {{{historyHTML}}}
        <figcaption>Final score of each version, in submission order (gaps: not scored yet).</figcaption>
        </figure>
        {{/hasHistory}}
        {{^hasHistory}}<p class="empty">No version of this miner has a final score yet.</p>{{/hasHistory}}
        </section>
        {{/main}}
        {{/layout}}
        """

    static let live = """
        <section class="live" aria-labelledby="progress-h"{{#isFinal}} data-live-final="true"{{/isFinal}}>
        <h2 id="progress-h">Evaluation</h2>
        <p class="progress-line"><strong data-testid="live-state">{{stateText}}</strong> · <span data-testid="live-progress">{{progressText}}</span>{{^isFinal}} <span class="pulse" aria-hidden="true"></span><span class="muted small">updates live</span>{{/isFinal}}</p>
        {{#hasActive}}
        <ul class="runs-live">
        {{#active}}
        <li><a href="{{runHref}}">Run on validator <code>{{validator}}</code></a>
        <progress max="{{total}}" value="{{finished}}" aria-label="Problems finished on validator {{validator}}">{{percent}}</progress> <span class="num" data-testid="run-progress">{{finished}} / {{total}} problems ({{percent}})</span></li>
        {{/active}}
        </ul>
        {{/hasActive}}
        <h3>Runs by validator</h3>
        {{#hasRuns}}
        <div class="table-wrap">
        <table class="data">
        <thead><tr><th scope="col">Run</th><th scope="col">Validator</th><th scope="col">Phase</th><th scope="col">Status</th><th scope="col">Claimed</th><th scope="col">Completed</th><th scope="col" class="num">Score</th><th scope="col" class="num">Reasoning quality</th><th scope="col" class="num">Coefficient</th><th scope="col">Counted</th></tr></thead>
        <tbody>
        {{#runs}}
        <tr>
        <td><a href="{{runHref}}"><code>{{runShort}}</code></a></td>
        <td><code title="{{validatorFull}}">{{validator}}</code></td>
        <td>{{phase}}</td>
        <td>
        {{>status}}
        {{#failure}}<div class="small muted">{{failure}}</div>{{/failure}}</td>
        <td>{{#claimed}}<time datetime="{{claimed.iso}}" title="{{claimed.text}}">{{claimed.relative}}</time>{{/claimed}}</td>
        <td>{{#completed}}<time datetime="{{completed.iso}}" title="{{completed.text}}">{{completed.relative}}</time>{{/completed}}{{^completed}}—{{/completed}}</td>
        <td class="num">{{score}}</td>
        <td class="num">{{quality}}</td>
        <td class="num">{{coefficient}}</td>
        <td>{{included}}</td>
        </tr>
        {{/runs}}
        </tbody>
        </table>
        </div>
        {{/hasRuns}}
        {{^hasRuns}}<p class="empty">No validator has claimed this version yet.</p>{{/hasRuns}}
        <h3>Per-problem results</h3>
        {{#matrix.hasRows}}
        <p class="small muted">Each cell: outcome score · judge score · corpus verdict · time. Select a cell to read the trajectory.</p>
        <div class="table-wrap">
        <table class="data matrix">
        <thead><tr><th scope="col">Problem</th>{{#matrix.columns}}<th scope="col"><a href="{{href}}" title="{{title}}">{{label}}</a></th>{{/matrix.columns}}</tr></thead>
        <tbody>
        {{#matrix.rows}}
        <tr>
        <th scope="row"><span class="cat">{{category}}</span> <span class="query">{{query}}</span></th>
        {{#cells}}
        <td class="cell c-{{css}}">{{#present}}<a href="{{href}}" aria-label="{{title}}"><span class="o">{{outcome}}</span> <span class="j">{{judge}}</span> <span class="v">{{verdict}}</span> <span class="t">{{time}}</span></a>{{/present}}{{^present}}<span class="muted" title="not run yet">·</span>{{/present}}</td>
        {{/cells}}
        </tr>
        {{/matrix.rows}}
        </tbody>
        </table>
        </div>
        {{/matrix.hasRows}}
        {{^matrix.hasRows}}<p class="empty">{{matrix.emptyText}}</p>{{/matrix.hasRows}}
        </section>
        """
}
