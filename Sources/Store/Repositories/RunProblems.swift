/// One problem handed to a validator for a run: its id, suite and the full suite row (`metadata` JSON text).
public struct RunProblem: Sendable, Equatable {
    /// The problem's id within the suite.
    public var problemID: String
    /// The suite the run covers.
    public var suiteID: Int64
    /// The suite row as JSON text, reward included (the validator keeps it out of the sandbox).
    public var metadataJSON: String
}

/// A field of a partial update: absent from the request (leave the stored value) or present (possibly null,
/// which clears it). The validator resends batches where a later one carries only some keys.
public enum Patch<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The request did not carry the field: the stored value stays.
    case unchanged
    /// The request carried the field: store this value (nil clears it).
    case set(Value?)
}

/// One per-problem progress update (`ProblemProgressUpdate`); JSON fields are passed as JSON text.
public struct ProblemProgressPatch: Sendable, Equatable {
    /// The problem the update is about.
    public var problemID: String
    /// The problem's status (always sent).
    public var status: String
    /// The outcome score.
    public var score: Patch<Double> = .unchanged
    /// The judge's reasoning score.
    public var reasoningScore: Patch<Double> = .unchanged
    /// A short text summary of the score components.
    public var scoreComponentsSummary: Patch<String> = .unchanged
    /// The object key of the problem's uploaded log.
    public var logsS3Key: Patch<String> = .unchanged
    /// Inference calls of the agent that failed.
    public var inferenceFailureCount: Patch<Int64> = .unchanged
    /// Inference calls of the agent.
    public var inferenceTotal: Patch<Int64> = .unchanged
    /// Seconds the agent ran in the sandbox.
    public var executionTime: Patch<Double> = .unchanged

    /// An update of `problemID` that sets only its status; set the other fields that the request carries.
    public init(problemID: String, status: String) {
        self.problemID = problemID
        self.status = status
    }

    /// The present columns and their values, in a fixed order.
    var columns: [(String, SQLValue)] {
        var out: [(String, SQLValue)] = [("status", .text(status))]
        if case .set(let v) = score { out.append(("score", .optional(v))) }
        if case .set(let v) = reasoningScore { out.append(("reasoning_score", .optional(v))) }
        if case .set(let v) = scoreComponentsSummary { out.append(("score_components_summary", .optional(v))) }
        if case .set(let v) = logsS3Key { out.append(("logs_s3_key", .optional(v))) }
        if case .set(let v) = inferenceFailureCount { out.append(("inference_failure_count", .optional(v))) }
        if case .set(let v) = inferenceTotal { out.append(("inference_total", .optional(v))) }
        if case .set(let v) = executionTime { out.append(("execution_time", .optional(v))) }
        return out
    }
}

/// A stored per-problem progress row.
public struct RunProblemProgress: Sendable, Equatable {
    /// The problem's id within the suite.
    public var problemID: String
    /// The status the validator last reported.
    public var status: String
    /// The outcome score.
    public var score: Double?
    /// The judge's reasoning score.
    public var reasoningScore: Double?
    /// A short text summary of the score components.
    public var scoreComponentsSummary: String?
    /// The object key of the problem's uploaded log.
    public var logsS3Key: String?
    /// Inference calls of the agent that failed.
    public var inferenceFailureCount: Int64?
    /// Inference calls of the agent.
    public var inferenceTotal: Int64?
    /// Seconds the agent ran in the sandbox.
    public var executionTime: Double?
    /// Last update, epoch milliseconds.
    public var updatedAt: Int64
}

extension WorkQueue {
    /// The problems of a run, in suite position order: the suite's public problems for QUALIFYING runs, the
    /// hidden problems drawn for the run's race (`race_problems`) for RACE runs.
    public func problems(runID: String, validator: String) async throws -> [RunProblem] {
        let outcome: Outcome<[RunProblem]> = try await database.read { db in
            guard let row = try await db.first("SELECT \(RunRecord.columns) FROM evaluation_runs WHERE eval_run_id = ?", [.text(runID)])
            else { return .refused(.runNotFound(runID)) }
            let run = try RunRecord(row: row)
            guard run.validatorHotkey == validator else { return .refused(.notRunOwner(runID)) }
            return .done(try await Self.problems(of: run, in: db))
        }
        return try outcome.get()
    }

    /// The SQL filter choosing a run's problems within its suite.
    static func problemFilter(for run: RunRecord) -> (sql: String, binds: [SQLValue]) {
        switch run.phase {
        case .qualifying: return ("suite_id = ? AND is_hidden = 0", [.int(run.suiteID)])
        case .race:
            return ("suite_id = ? AND is_hidden = 1 AND problem_id IN (SELECT problem_id FROM race_problems WHERE race_id = ?)",
                    [.int(run.suiteID), .optional(run.raceID)])
        }
    }

    static func problems(of run: RunRecord, in db: any SQLExecutor) async throws -> [RunProblem] {
        let filter = problemFilter(for: run)
        return try await db.query("SELECT problem_id, suite_id, metadata FROM problems WHERE \(filter.sql) ORDER BY position, problem_id",
                                  filter.binds).map { row throws(StoreError) in
            RunProblem(problemID: try row.string("problem_id"), suiteID: try row.int("suite_id"),
                       metadataJSON: try row.string("metadata"))
        }
    }

    static func problemIDs(of run: RunRecord, in db: any SQLExecutor) async throws -> Set<String> {
        let filter = problemFilter(for: run)
        return Set(try await db.query("SELECT problem_id FROM problems WHERE \(filter.sql)", filter.binds).map { row throws(StoreError) in
            try row.string("problem_id")
        })
    }

    /// Merges per-problem progress into `run_problems` (absent fields unchanged, explicit nulls cleared). The
    /// whole batch is refused when one problem is not part of the run.
    public func recordProgress(runID: String, validator: String, updates: [ProblemProgressPatch], now: Int64) async throws {
        let outcome: Outcome<Void> = try await database.transaction { db in
            let run: RunRecord
            switch try await Self.lockActiveRun(runID, validator: validator, in: db, now: now) {
            case .refused(let error): return .refused(error)
            case .done(let locked): run = locked
            }
            let known = try await Self.problemIDs(of: run, in: db)
            if let unknown = updates.first(where: { !known.contains($0.problemID) }) {
                return .refused(.invalidProblemID(unknown.problemID))
            }
            for update in updates {
                let columns = update.columns + [("updated_at", .int(now))]
                let names = columns.map(\.0)
                let sql = """
                    INSERT INTO run_problems (eval_run_id, problem_id, \(names.joined(separator: ", ")))
                    VALUES (?, ?, \(Array(repeating: "?", count: names.count).joined(separator: ", ")))
                    ON CONFLICT (eval_run_id, problem_id) DO UPDATE SET \(names.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                    """
                try await db.execute(sql, [.text(runID), .text(update.problemID)] + columns.map(\.1))
            }
            return .done(())
        }
        try outcome.get()
    }

    /// The stored progress rows of a run, by problem id.
    public func progress(runID: String) async throws -> [RunProblemProgress] {
        try await database.read { db in
            try await db.query(
                """
                SELECT problem_id, status, score, reasoning_score, score_components_summary, logs_s3_key,
                    inference_failure_count, inference_total, execution_time, updated_at
                FROM run_problems WHERE eval_run_id = ? ORDER BY problem_id
                """, [.text(runID)]).map { row throws(StoreError) in
                RunProblemProgress(
                    problemID: try row.string("problem_id"), status: try row.string("status"),
                    score: row.optionalDouble("score"), reasoningScore: row.optionalDouble("reasoning_score"),
                    scoreComponentsSummary: row.optionalString("score_components_summary"),
                    logsS3Key: row.optionalString("logs_s3_key"),
                    inferenceFailureCount: row.optionalInt("inference_failure_count"),
                    inferenceTotal: row.optionalInt("inference_total"),
                    executionTime: row.optionalDouble("execution_time"), updatedAt: try row.int("updated_at"))
            }
        }
    }
}
