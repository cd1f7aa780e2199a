package dev.nnc.check;

/** What a name inside a body stands for. */
public enum Kind {
    INPUT("input"), TARGET("target"), PARAM("parameter"), EQUATION("equation"), LAYER("layer"),
    LAYER_PARAM("layer parameter"), LOSS("loss"), ARGUMENT("argument"), NEURON_PARAM("neuron parameter"),
    HYPERPARAMETER("hyperparameter"), STATE("optimizer state"), THETA("parameter θ"), STEP("step number"),
    CONSTANT("constant");

    public final String description;

    Kind(String description) { this.description = description; }
}
