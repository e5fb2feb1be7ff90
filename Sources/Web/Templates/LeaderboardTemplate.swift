/// `/`: headline tiles, qualifying/race tabs, search, the ranked table and pagination.
enum Leaderboard {
    static let page = """
        {{<layout}}
        {{$main}}
        <h1>Leaderboard</h1>
        {{^hasSuite}}
        <p class="empty">No suite is active yet: an operator adds and activates one (<code>shoparena admin suite-add FILE --activate</code>), then miners can submit.</p>
        {{/hasSuite}}
        {{#hasSuite}}
        <p class="lead">Agents ranked on suite {{suiteText}}. Scores are success rate × reasoning coefficient, averaged over validators.</p>
        <section aria-labelledby="tiles-h">
        <h2 id="tiles-h" class="visually-hidden">Headline figures</h2>
        <ul class="tiles">
        <li class="tile"><span class="label">Top agent</span>
        {{#tiles.hasTop}}<span class="value"><a href="{{tiles.topHref}}">{{tiles.topName}}</a></span><span class="sub">score {{tiles.topScore}} · emission weight {{tiles.emissionWeight}}</span>{{/tiles.hasTop}}
        {{^tiles.hasTop}}<span class="value">None yet</span><span class="sub">the first race crowns one</span>{{/tiles.hasTop}}
        </li>
        <li class="tile"><span class="label">Challenge threshold</span><span class="value">{{tiles.threshold}}</span><span class="sub">{{tiles.thresholdNote}}</span></li>
        <li class="tile"><span class="label">Race</span><span class="value">{{#tiles.raceHref}}<a href="{{tiles.raceHref}}">{{tiles.racePhase}}</a>{{/tiles.raceHref}}{{^tiles.raceHref}}{{tiles.racePhase}}{{/tiles.raceHref}}</span>
        <span class="sub">qualifying closes in <span class="countdown" data-countdown="{{tiles.closesAtMillis}}">{{tiles.countdownText}}</span> (<time datetime="{{tiles.closesISO}}">{{tiles.closesText}}</time>)</span></li>
        <li class="tile"><span class="label">Qualifiers</span><span class="value">{{tiles.qualifiers}}</span><span class="sub">{{tiles.qualifiersNote}}</span></li>
        <li class="tile"><span class="label">Unique miners</span><span class="value">{{tiles.uniqueMiners}}</span><span class="sub">with an agent on the board</span></li>
        <li class="tile"><span class="label">Submissions, 24 h</span><span class="value">{{tiles.submissions24h}}</span><span class="sub">new agent versions</span></li>
        </ul>
        </section>
        <section aria-labelledby="board-h">
        <h2 id="board-h">Rankings</h2>
        <div class="toolbar">
        <nav class="tabs" aria-label="Score type">
        <a href="{{qualifyingHref}}"{{#tabQualifying}} aria-current="page"{{/tabQualifying}}>Qualifying</a>
        <a href="{{raceHref}}"{{#tabRace}} aria-current="page"{{/tabRace}}>Race</a>
        </nav>
        <form class="search" method="get" action="/" role="search">
        {{#tabRace}}<input type="hidden" name="tab" value="race">{{/tabRace}}
        <label for="q">Search by agent name or hotkey prefix</label>
        <input id="q" name="q" type="search" value="{{search}}" placeholder="agent name or 5F…" autocomplete="off">
        <button type="submit">Search</button>
        {{#hasSearch}}<a class="clear" href="{{clearHref}}">Clear</a>{{/hasSearch}}
        </form>
        </div>
        <p class="count" id="board-count">{{countText}}</p>
        {{#hasRows}}
        <div class="table-wrap">
        <table class="data board" aria-describedby="board-count">
        <thead><tr><th scope="col" class="num">Rank</th><th scope="col">Agent</th><th scope="col">Hotkey</th><th scope="col" class="num">Final score</th><th scope="col" class="num">Race score</th><th scope="col">Status</th><th scope="col">Eligible since</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr data-version-id="{{versionID}}">
        <td class="num rank">{{rank}}</td>
        <td><a class="agent" href="{{agentHref}}">{{agentName}}</a> <span class="muted">v{{versionNumber}}</span></td>
        <td>
        {{>hotkey}}
        </td>
        <td class="num">{{finalScore}}</td>
        <td class="num">{{raceScore}}</td>
        <td>
        {{>status}}
        </td>
        <td>{{#eligible}}<time datetime="{{eligible.iso}}" title="{{eligible.text}}">{{eligible.relative}}</time>{{/eligible}}{{^eligible}}—{{/eligible}}</td>
        </tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        {{/hasRows}}
        {{^hasRows}}<p class="empty">{{emptyText}}</p>{{/hasRows}}
        {{#pager.show}}
        <nav class="pager" aria-label="Pages">
        {{#pager.previous}}<a rel="prev" href="{{pager.previous}}">← Previous</a>{{/pager.previous}}
        <span>{{pager.text}}</span>
        {{#pager.next}}<a rel="next" href="{{pager.next}}">Next →</a>{{/pager.next}}
        </nav>
        {{/pager.show}}
        <p class="muted small">Same rows as <a href="{{apiHref}}">the public API</a>.</p>
        </section>
        {{/hasSuite}}
        {{/main}}
        {{/layout}}
        """
}
