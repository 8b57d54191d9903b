package org.tollgate.banner.action;

/** A firewall action failed as a whole: its tool is missing, timed out, or refused to create its set or rule. */
public class ActionException extends Exception {

    private static final long serialVersionUID = 1L;

    public ActionException(String message) {
        super(message);
    }

    public ActionException(String message, Throwable cause) {
        super(message, cause);
    }
}
