package dev.nnc.runtime.train;

/** Training cannot go on (a value that is not finite); the message is for the user, in one line or two. */
public final class TrainingStopped extends Exception {
    public TrainingStopped(String message) { super(message); }
}
