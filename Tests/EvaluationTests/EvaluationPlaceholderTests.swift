import Evaluation
import Testing

@Test func EvaluationModuleBuilds() { #expect(Bool(true)) }
