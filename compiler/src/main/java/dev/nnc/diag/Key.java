package dev.nnc.diag;

/**
 * Every kind of mistake the front end reports, with its stable key (printed as {@code error[key]}).
 * Each key has at least one example under tests/diagnostics/ that triggers it.
 */
public enum Key {
    // lexical and syntax
    UNEXPECTED_CHAR("unexpected-char"),
    UNTERMINATED_STRING("unterminated-string"),
    UNCLOSED_COMMENT("unclosed-comment"),
    SYNTAX("syntax"),
    BAD_NUMBER("bad-number"),
    BAD_EXPONENT("bad-exponent"),
    TOO_DEEP("too-deep"),
    MISSING_NAME("missing-name"),
    TRANSPOSE("transpose"),
    // files and names
    IMPORT_NOT_FOUND("import-not-found"),
    UNDEFINED_NAME("undefined-name"),
    UNDEFINED_FUNCTION("undefined-function"),
    DUPLICATE_DEFINITION("duplicate-definition"),
    REDEFINES_BUILTIN("redefines-builtin"),
    NOT_A_FUNCTION("not-a-function"),
    NOT_A_VALUE("not-a-value"),
    NOT_A_NEURON("not-a-neuron"),
    NEURON_CALL("neuron-call"),
    RECURSIVE_FUNCTION("recursive-function"),
    UNUSED("unused", Severity.WARNING),
    // indices and shapes
    INDEX_RANGE("index-range"),
    INDEX_OUT_OF_RANGE("index-out-of-range"),
    UNBOUND_INDEX("unbound-index"),
    UNKNOWN_RANGE("unknown-range"),
    INDEX_COUNT("index-count"),
    NOT_INDEXABLE("not-indexable"),
    DUPLICATE_INDEX("duplicate-index"),
    INDEX_REUSED("index-reused"),
    SUM_BOUNDS("sum-bounds"),
    NON_AFFINE("non-affine-subscript"),
    OUT_OF_BOUNDS("out-of-bounds-read"),
    EMPTY_RANGE("empty-range"),
    BAD_PAD("bad-pad"),
    SHAPE_MISMATCH("shape-mismatch"),
    RANK_CONFLICT("rank-conflict"),
    BAD_DIMENSION("bad-dimension"),
    TOO_LARGE("too-large"),
    MATRIX_PRODUCT("matrix-product"),
    // calls
    ARITY("arity"),
    UNKNOWN_ARGUMENT("unknown-argument"),
    DUPLICATE_ARGUMENT("duplicate-argument"),
    ARGUMENT_ORDER("argument-order"),
    // networks
    NO_NETWORK("no-network"),
    NO_OUTPUT("no-output"),
    OUTPUT_USES_TARGET("output-uses-target"),
    NO_LOSS("no-loss"),
    DUPLICATE_LOSS("duplicate-loss"),
    LOSS_NOT_SCALAR("loss-not-scalar"),
    CYCLE("cycle"),
    NEURON_SHAPE("neuron-shape"),
    // initializers and constants
    UNKNOWN_INITIALIZER("unknown-initializer"),
    BAD_INITIALIZER("bad-initializer"),
    INIT_NEEDS_INDEX("init-needs-index"),
    NOT_CONSTANT("not-constant"),
    NOT_FINITE("not-finite"),
    ARRAY_SHAPE("array-shape"),
    UNKNOWN_LAYER_PARAM("unknown-layer-param"),
    // optimizers and derivatives
    BAD_UPDATE_TARGET("bad-update-target"),
    MISSING_UPDATE("missing-update"),
    DUPLICATE_UPDATE("duplicate-update"),
    BAD_DERIVATIVE("bad-derivative"),
    // training settings
    UNKNOWN_SETTING("unknown-setting"),
    BAD_SETTING("bad-setting"),
    DUPLICATE_SETTING("duplicate-setting");

    private final String id;
    private final Severity severity;

    Key(String id) { this(id, Severity.ERROR); }

    Key(String id, Severity severity) {
        this.id = id;
        this.severity = severity;
    }

    public String id() { return id; }

    public Severity severity() { return severity; }

    /**
     * Reported while reading the text, before names mean anything; checking stops after them. {@link #TRANSPOSE} is
     * reported there too (a ᵀ, which the lexer drops) as well as by the checker ({@code W^T}).
     */
    public boolean isLexicalOrSyntax() {
        return switch (this) {
            case UNEXPECTED_CHAR, UNTERMINATED_STRING, UNCLOSED_COMMENT, SYNTAX, BAD_NUMBER, BAD_EXPONENT, TOO_DEEP, MISSING_NAME, TRANSPOSE -> true;
            default -> false;
        };
    }
}
