package org.tollgate.banner.shield;

import java.util.List;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.CommandRunner;

/** Whether a tool is there and works. */
final class Tools {

    private Tools() {
    }

    static boolean runs(CommandRunner runner, List<String> command) {
        try {
            return runner.run(command).ok();
        } catch (ActionException e) {
            return false;
        }
    }
}
