package com.pictura.domain.inference;

import java.util.concurrent.Executor;

/**
 * Where the {@link InferenceSaga} sends its settlement commands once its own unit of work has committed: on
 * another thread, outside any unit of work, so each command runs in a transaction of its own and a refusal can
 * never roll back the saga's batch. Without one (as in the saga's fixture tests) commands are sent in place.
 */
public interface SettlementExecutor extends Executor {
}
