import Testing
@testable import BatonEngine

struct RunStateMachineTests {
    typealias Node = RunStateMachine.Node

    /// a → b → c in file order.
    let sequence = [Node(id: "a", dependencies: []), Node(id: "b", dependencies: ["a"]), Node(id: "c", dependencies: ["b"])]

    @Test func sequenceRunsOneAfterAnother() {
        var machine = RunStateMachine(main: sequence)
        #expect(machine.start() == [.start("a")])
        machine.stepStarted("a")
        #expect(machine.stepFinished("a", .succeeded) == [.start("b")])
        machine.stepStarted("b")
        #expect(machine.stepFinished("b", .succeeded) == [.start("c")])
        machine.stepStarted("c")
        #expect(machine.stepFinished("c", .succeeded) == [.finish(.succeeded)])
        #expect(machine.isFinished)
        #expect(machine.stepFinished("c", .succeeded) == [])
    }

    @Test func independentBranchesStartTogetherAndJoin() {
        var machine = RunStateMachine(main: [
            Node(id: "fetch", dependencies: []),
            Node(id: "mastodon", dependencies: ["fetch"]),
            Node(id: "bluesky", dependencies: ["fetch"]),
            Node(id: "report", dependencies: ["mastodon", "bluesky"]),
        ])
        #expect(machine.start() == [.start("fetch")])
        machine.stepStarted("fetch")
        #expect(machine.stepFinished("fetch", .succeeded) == [.start("mastodon"), .start("bluesky")])
        machine.stepStarted("mastodon")
        machine.stepStarted("bluesky")
        #expect(machine.stepFinished("bluesky", .succeeded) == [])
        #expect(machine.stepFinished("mastodon", .succeeded) == [.start("report")])
    }

    @Test func skippedStepsLetDependantsRun() {
        var machine = RunStateMachine(main: sequence)
        _ = machine.start()
        #expect(machine.stepFinished("a", .skipped) == [.start("b")])
        machine.stepStarted("b")
        #expect(machine.stepFinished("b", .skipped) == [.start("c")])
        #expect(machine.stepFinished("c", .succeeded) == [.finish(.succeeded)])
    }

    @Test func failureStopsTheRunAndRunsOnFailure() {
        var machine = RunStateMachine(main: sequence, onFailure: [Node(id: "alert", dependencies: [])])
        _ = machine.start()
        machine.stepStarted("a")
        #expect(machine.stepFinished("a", .failed) == [.start("alert")])
        #expect(machine.phase == .onFailure)
        #expect(machine.statuses["b"] == .cancelled)
        #expect(machine.statuses["c"] == .cancelled)
        machine.stepStarted("alert")
        #expect(machine.stepFinished("alert", .succeeded) == [.finish(.failed)])
    }

    @Test func failureWaitsForRunningBranchesBeforeOnFailure() {
        var machine = RunStateMachine(main: [Node(id: "a", dependencies: []), Node(id: "b", dependencies: [])],
                                      onFailure: [Node(id: "alert", dependencies: [])])
        #expect(machine.start() == [.start("a"), .start("b")])
        machine.stepStarted("a")
        machine.stepStarted("b")
        #expect(machine.stepFinished("a", .failed) == [.cancelRunning(["b"])])
        #expect(machine.phase == .failing)
        #expect(machine.stepFinished("b", .cancelled) == [.start("alert")])
    }

    @Test func continueOnErrorKeepsGoing() {
        var machine = RunStateMachine(main: [
            Node(id: "a", dependencies: [], continuesOnError: true), Node(id: "b", dependencies: ["a"]),
        ])
        _ = machine.start()
        machine.stepStarted("a")
        #expect(machine.stepFinished("a", .failed) == [.start("b")])
        machine.stepStarted("b")
        #expect(machine.stepFinished("b", .succeeded) == [.finish(.succeeded)])
    }

    @Test func failureWithoutOnFailureEndsFailed() {
        var machine = RunStateMachine(main: sequence)
        _ = machine.start()
        machine.stepStarted("a")
        #expect(machine.stepFinished("a", .failed) == [.finish(.failed)])
    }

    @Test func failingOnFailureStepStopsItsDependants() {
        var machine = RunStateMachine(main: [Node(id: "a", dependencies: [])],
                                      onFailure: [Node(id: "x", dependencies: []), Node(id: "y", dependencies: ["x"])])
        _ = machine.start()
        machine.stepStarted("a")
        #expect(machine.stepFinished("a", .failed) == [.start("x")])
        machine.stepStarted("x")
        #expect(machine.stepFinished("x", .failed) == [.finish(.failed)])
        #expect(machine.statuses["y"] == .cancelled)
    }

    @Test func cancelStopsRunningStepsAndSkipsOnFailure() {
        var machine = RunStateMachine(main: sequence, onFailure: [Node(id: "alert", dependencies: [])])
        _ = machine.start()
        machine.stepStarted("a")
        #expect(machine.cancel() == [.cancelRunning(["a"])])
        #expect(machine.stepFinished("a", .cancelled) == [.finish(.cancelled)])
        #expect(machine.statuses == ["a": .cancelled, "b": .cancelled, "c": .cancelled, "alert": .cancelled])
        #expect(machine.cancel() == [])
    }

    @Test func externalFailureRunsOnFailure() {
        var machine = RunStateMachine(main: sequence, onFailure: [Node(id: "alert", dependencies: [])])
        _ = machine.start()
        machine.stepStarted("a")
        #expect(machine.fail() == [.cancelRunning(["a"])])
        #expect(machine.stepFinished("a", .cancelled) == [.start("alert")])
    }

    @Test func emptyRunFinishesAtOnce() {
        var machine = RunStateMachine(main: [])
        #expect(machine.start() == [.finish(.succeeded)])
    }

    @Test func restoringRerunsWhatWasRunning() {
        var machine = RunStateMachine(main: sequence, restoring: ["a": .succeeded, "b": .running])
        #expect(machine.statuses["b"] == .pending)
        #expect(machine.start() == [.start("b")])
    }

    @Test func restoringAFailedRunGoesToOnFailure() {
        var machine = RunStateMachine(main: sequence, onFailure: [Node(id: "alert", dependencies: [])],
                                      restoring: ["a": .failed])
        #expect(machine.start() == [.start("alert")])
    }

    /// Every order in which three independent steps can finish ends the same way.
    @Test(arguments: [["a", "b", "c"], ["a", "c", "b"], ["b", "a", "c"], ["b", "c", "a"], ["c", "a", "b"], ["c", "b", "a"]])
    func finishOrderDoesNotMatter(_ order: [String]) {
        var machine = RunStateMachine(main: ["a", "b", "c"].map { Node(id: $0, dependencies: []) }
            + [Node(id: "join", dependencies: ["a", "b", "c"])])
        #expect(machine.start() == [.start("a"), .start("b"), .start("c")])
        for id in ["a", "b", "c"] { machine.stepStarted(id) }
        var actions: [RunStateMachine.Action] = []
        for id in order { actions += machine.stepFinished(id, .succeeded) }
        #expect(actions == [.start("join")])
    }
}
