import Foundation
import Proxy

/// Why the record/replay directory of an evaluation cannot be used.
public enum InferenceRecordingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `--record` directory cannot be created.
    case recordUnwritable(path: String, reason: String)
    /// The `--replay` directory does not exist.
    case replayMissing(path: String)

    public var description: String {
        switch self {
        case .recordUnwritable(let path, let reason): "cannot create the record directory \(path): \(reason)"
        case .replayMissing(let path): "the replay directory \(path) does not exist (make it with --record)"
        }
    }
}

extension InferenceRecording {
    /// The record/replay mode asked for (at most one of `record` and `replay`, resolved against `cwd`), with the record
    /// directory created and the replay directory checked; nil when neither is given.
    public static func choose(record: String?, replay: String?, cwd: URL) throws(InferenceRecordingError) -> InferenceRecording? {
        if let record {
            let dir = URL(fileURLWithPath: record, relativeTo: cwd).standardizedFileURL
            do {
                _ = try InferenceRecordStore.forRecording(directory: dir)
            } catch {
                throw .recordUnwritable(path: dir.path, reason: error.localizedDescription)
            }
            return .record(directory: dir)
        }
        if let replay {
            let dir = URL(fileURLWithPath: replay, relativeTo: cwd).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .replayMissing(path: dir.path)
            }
            return .replay(directory: dir)
        }
        return nil
    }
}
