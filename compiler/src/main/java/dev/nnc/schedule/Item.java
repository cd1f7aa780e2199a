package dev.nnc.schedule;

/**
 * What SCHEDULE makes of the defs before grouping ({@link Items}): a def's loop nest, or a matrix product over
 * the slice's samples. {@link Group} is what they become after.
 */
sealed interface Item permits Nest, Block.Product {}
