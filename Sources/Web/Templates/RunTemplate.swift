/// `/runs/{id}` and its live fragment `/runs/{id}/live` (per-problem progress).
enum RunTemplates {
    static let page = """
        {{<layout}}
        {{$main}}
        <p class="crumbs"><a href="/">Leaderboard</a> › <a href="{{agentHref}}">{{agentName}} v{{versionNumber}}</a> › Run</p>
        <h1>Run <code>{{runShort}}</code> <span class="muted">of {{agentName}} v{{versionNumber}}</span></h1>
        <dl class="facts">
        <div><dt>Status</dt><dd>
        {{>status}}
        </dd></div>
        <div><dt>Validator</dt><dd><code title="{{validatorFull}}">{{validator}}</code></dd></div>
        <div><dt>Miner</dt><dd>
        {{>hotkey}}
        </dd></div>
        <div><dt>Phase</dt><dd>{{phase}}{{#raceHref}} · <a href="{{raceHref}}">race page</a>{{/raceHref}}</dd></div>
        <div><dt>Claimed</dt><dd>{{claimedText}}</dd></div>
        <div><dt>Last heartbeat</dt><dd>{{heartbeatText}}</dd></div>
        <div><dt>Completed</dt><dd>{{completedText}}</dd></div>
        <div><dt>Validator score</dt><dd class="big">{{score}}</dd></div>
        <div><dt>Reasoning quality</dt><dd>{{quality}}</dd></div>
        <div><dt>Reasoning coefficient</dt><dd>{{coefficient}}</dd></div>
        <div><dt>Counted for eligibility</dt><dd>{{included}}</dd></div>
        </dl>
        {{#failureText}}<p class="notice bad"><strong>Failure:</strong> {{failureText}}</p>{{/failureText}}
        {{#invalidationText}}<p class="notice warn"><strong>Invalidated:</strong> {{invalidationText}}</p>{{/invalidationText}}
        {{#hasComponents}}
        <details class="components">
        <summary>Run score components</summary>
        <dl class="kv">
        {{#components}}<div><dt>{{name}}</dt><dd>{{value}}</dd></div>{{/components}}
        </dl>
        </details>
        {{/hasComponents}}
        <div id="live" data-live-src="{{liveSrc}}" aria-live="polite">
        {{#live}}
        {{>run-live}}
        {{/live}}
        </div>
        {{/main}}
        {{/layout}}
        """

    static let live = """
        <section class="live" aria-labelledby="problems-h"{{#isFinal}} data-live-final="true"{{/isFinal}}>
        <h2 id="problems-h">Problems</h2>
        <p class="progress-line"><strong data-testid="live-state">{{statusText}}</strong> · <span data-testid="live-progress">{{progressText}}</span>{{^isFinal}} <span class="pulse" aria-hidden="true"></span><span class="muted small">updates live</span>{{/isFinal}}</p>
        {{#showBar}}<progress max="{{total}}" value="{{finished}}" aria-label="Problems finished">{{percent}}</progress>{{/showBar}}
        {{#hiddenNote}}<p class="notice">{{hiddenNote}}</p>{{/hiddenNote}}
        {{#hasRows}}
        <div class="table-wrap">
        <table class="data problems">
        <thead><tr><th scope="col" class="num">#</th><th scope="col">Problem</th><th scope="col">Status</th><th scope="col" class="num">Outcome</th><th scope="col" class="num">Judge</th><th scope="col">Corpus</th><th scope="col" class="num">Time</th><th scope="col">Model calls</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr>
        <td class="num">{{position}}</td>
        <td><span class="cat">{{category}}</span> <a href="{{href}}" title="{{queryFull}}">{{query}}</a></td>
        <td>
        {{>status}}
        </td>
        <td class="num">{{outcome}}</td>
        <td class="num">{{judge}}</td>
        <td>{{verdict}}</td>
        <td class="num">{{time}}</td>
        <td>{{inference}}</td>
        </tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        {{/hasRows}}
        {{^hasRows}}<p class="empty">{{emptyText}}</p>{{/hasRows}}
        </section>
        """
}
