//! Dispatch rules compiled for regorus' bytecode VM (RVM).
//!
//! regorus' interpreter re-resolves names and paths as it walks the policy's syntax tree; its
//! VM runs a program compiled once from the same analysed modules, about twice as fast on the
//! pack (`docs/benchmarks.md`, "Bytecode VM and pack image"). Each group's dispatch rule (see `dispatch`) is
//! compiled into one program at load; a worker runs it with one `RegoVM` per group.
//!
//! regorus 0.14.1's VM gave wrong results in four cases that this tree fixes in its copy of
//! regorus (`vendor/regorus/WA-LINT.md`); `tests/vm.rs` runs every fixture on both, and the
//! whole shared corpus gives the same report on both (`WA_LINT_INTERPRETER=1`). A group keeps
//! the interpreter when:
//!
//! - it compiles a module that is not part of the built-in pack (user rules and helpers from
//!   `--rules`): only the built-in pack's results on the VM are checked against the interpreter;
//! - its dispatch rule did not compile, or regorus' compiler refuses the group's modules;
//! - its program calls `numbers.range` or `numbers.range_step`: the VM calls regorus'
//!   builtins directly, not the bounded versions of `guards` registered as extensions.
//!
//! When a program fails on a unit (an error, a time-out, a panic), the evaluator evaluates that
//! group's rules one by one on the interpreter, as after a failed dispatch on the interpreter,
//! so the rule error messages are the same.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::{Program, RegoVM};
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

/// VM instructions between two clock reads of the execution timer (an instruction is far
/// cheaper than an interpreter work unit, so reads are spaced wider than `pack`'s).
const TIMER_CHECK_INTERVAL: NonZeroU32 = match NonZeroU32::new(1024) {
    Some(n) => n,
    None => NonZeroU32::MIN,
};

/// Builtins that `guards` replaces with bounded versions; a program calling one of them is not
/// used (the VM would call the unbounded builtin).
const GUARDED: [&str; 2] = ["numbers.range", "numbers.range_step"];

/// `rule_path` of `engine` compiled into a program; `None` when regorus refuses it, panics, or
/// the program calls a [`GUARDED`] builtin.
pub(crate) fn compile(engine: &mut Engine, rule_path: &str) -> Option<Arc<Program>> {
    let mut program = wa_lint_source::panics::catch(|| {
        let policy = engine.compile_with_entrypoint(&rule_path.into()).ok()?;
        Compiler::compile_from_policy(&policy, &[rule_path]).ok()
    })
    .ok()
    .flatten()?;
    // The VM reads neither the Rego sources nor the span of each instruction (they serve
    // regorus' listings and debugger): about 2 MB for the built-in pack.
    if let Some(p) = Arc::get_mut(&mut program) {
        p.sources = Vec::new();
        p.instruction_spans = Vec::new();
    }
    let guarded = program
        .builtin_info_table
        .iter()
        .any(|b| GUARDED.contains(&b.name.as_str()));
    (!guarded).then_some(program)
}

/// A VM ready to run `program` with an evaluation budget of `timeout`: no instruction cap
/// (regorus' default is 25,000 instructions), builtin errors are errors (as in the interpreter,
/// where a failing builtin fails the evaluation instead of giving undefined), empty `data`.
pub(crate) fn new_vm(program: &Arc<Program>, timeout: Duration) -> RegoVM {
    let mut vm = RegoVM::new();
    vm.load_program(Arc::clone(program));
    vm.set_max_instructions(usize::MAX);
    vm.set_strict_builtin_errors(true);
    vm.set_execution_timer_config(Some(ExecutionTimerConfig {
        limit: timeout,
        check_interval: TIMER_CHECK_INTERVAL,
    }));
    // `set_data` only fails for a value that is not an object.
    let _ = vm.set_data(Value::new_object());
    vm
}
