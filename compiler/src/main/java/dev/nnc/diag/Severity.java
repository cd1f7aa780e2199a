package dev.nnc.diag;

public enum Severity {
    ERROR, WARNING;

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
