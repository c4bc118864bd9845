import Foundation

public enum ProcessInfoEnvironment {
    public static func value(_ name: String) -> String? { ProcessInfo.processInfo.environment[name] }
}
