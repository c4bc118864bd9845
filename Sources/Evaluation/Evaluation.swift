// Evaluation: task suites, scoring, AUP and the bench runner.
