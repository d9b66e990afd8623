import Foundation
import TestSupport

enum ProcFixtures {
    static let root = FixtureFiles.url("proc")

    static func text(_ relative: String) throws -> String { try FixtureFiles.text("proc/" + relative) }
}
