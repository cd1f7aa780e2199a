/*
 * The grammar of .nn, the nnc language (see docs/language.md).
 *
 * No actions; every alternative of a rule with several is labelled; one AstBuilder walks the tree.
 *
 * Newlines end statements. The lexer emits every NL; the compiler's token filter
 * (dev.nnc.parse.LineJoiner) drops those that cannot end a statement — inside ( ) and [ ], after a token
 * that cannot end one (an operator, a comma, '='), and before one that continues a line (an operator,
 * 'where', 'with') — so the parser sees NL only where a statement really ends.
 *
 * Precedence, loosest first:
 *   + -                      additive
 *   · × * / ÷                multiplicative (left-associative)
 *   unary - , Σ              a Σ binds one product term, as on paper: Σⱼ W[k,j]·h[j] + b[k] = (Σⱼ …) + b[k];
 *                            a factor may stand before it: λ Σᵢ w[i]² is λ·(Σᵢ w[i]²)
 *   juxtaposition            wᵢxᵢ, 2 z, β v, σ(z)(1 - σ(z))
 *   ^ and superscripts       right-associative: x², β1^t, x^-1
 *   atoms                    numbers, names, x[i], xᵢ, calls, ( ), √, ∂J/∂θ, Iverson brackets [a > b]
 */
grammar Nn;

// ─── Declarations ────────────────────────────────────────────────────────────────────────────────

program
    : sep* (declaration (sep+ declaration)*)? sep* EOF
    ;

sep : NL | SEMI ;

declaration
    : IMPORT STRING                                                         # importDecl
    | ALIAS aliasName=ID ASSIGN aliasTarget=ID                                       # aliasDecl
    | FN declName=ID params (LBRACK indexNames RBRACK)? ASSIGN expression
          (WHERE statedDerivative (COMMA statedDerivative)*)?               # fnDecl
    | NEURON declName=ID params ASSIGN expression                               # neuronDecl
    | OPTIMIZER declName=ID params? LBRACE sep* (optimizerStatement (sep+ optimizerStatement)*)? sep* RBRACE
                                                                            # optimizerDecl
    | NETWORK declName=ID LBRACE sep* (member (sep+ member)*)? sep* RBRACE      # networkDecl
    | TRAIN declName=ID LBRACE sep* (setting (sep+ setting)*)? sep* RBRACE      # trainDecl
    ;

params : LPAREN (param (COMMA param)*)? RPAREN ;
param  : ID (ASSIGN expression)? ;

indexNames : ID (COMMA ID)* ;

statedDerivative : PARTIAL of=ID DIV PARTIAL wrt=ID ASSIGN expression ;

optimizerStatement
    : STATE stateVar (COMMA stateVar)*                                      # stateDecl
    | ID ARROW expression                                                   # update
    ;

stateVar : ID ASSIGN expression ;

// ─── Network members ─────────────────────────────────────────────────────────────────────────────

member
    : INPUT tensorDecl (COMMA tensorDecl)*                                  # inputMember
    | TARGET tensorDecl (COMMA tensorDecl)*                                 # targetMember
    | PARAM paramDecl (COMMA paramDecl)*                                    # paramMember
    | LAYER declName=ID dims? ASSIGN neuron=ID LPAREN arguments? RPAREN
          (WITH layerInit (COMMA layerInit)*)?                              # layerMember
    | OUTPUT ID (COMMA ID)*                                                 # outputMember
    | LOSS ID ASSIGN expression                                             # lossMember
    | ID (LBRACK indexNames RBRACK | SUB)? ASSIGN expression                # equationMember
    ;

tensorDecl : ID dims? ;
dims       : LBRACK INT (COMMA INT)* RBRACK ;
paramDecl  : ID dims? initializer? ;
layerInit  : ID initializer ;

initializer
    : TILDE ID (LPAREN arguments? RPAREN)?                                  # randomInit
    | ASSIGN arrayLiteral                                                   # arrayInit
    | ASSIGN expression                                                     # valueInit
    ;

// Every element given: = [0, -1], = [[1, 2], [3, 4]]. Not an Iverson bracket, which has a comparison.
arrayLiteral : LBRACK arrayElement (COMMA arrayElement)* RBRACK ;
arrayElement
    : arrayLiteral                                                          # nestedElement
    | expression                                                            # scalarElement
    ;

// ─── Training settings ───────────────────────────────────────────────────────────────────────────

setting : key=settingKey settingValue (COMMA settingValue)* ;
settingKey : ID | OPTIMIZER ;

settingValue
    : STRING                                                                # stringSetting
    | expression                                                            # expressionSetting
    ;

// ─── Expressions ─────────────────────────────────────────────────────────────────────────────────

expression : multiplicative (addOp multiplicative)* ;
addOp : PLUS | MINUS ;

multiplicative : unary (mulOp unary)* ;
mulOp : MUL | DIV ;

unary
    : MINUS unary                                                           # negate
    | PLUS unary                                                            # unaryPlus
    | sumHead multiplicative                                                # sum
    | power+ (sumHead multiplicative)?                                      # product
    ;

sumHead
    : SUM_SUB                                                               # sumSubscript
    | SUM_UNDERSCORE                                                        # sumUnderscore
    | SUM_OPEN indexName=ID (ASSIGN lower=INT)? RBRACE (CARET sumUpper)?        # sumBounded
    | MAX_OPEN indexName=ID (ASSIGN lower=INT)? RBRACE (CARET sumUpper)?        # maxBounded
    ;

sumUpper
    : LBRACE bound=(INT | ID) RBRACE                                        # bracedUpper
    | bound=(INT | ID)                                                      # plainUpper
    ;

// One alternative, not three: alternatives that all begin with an atom make the parser scan the whole atom
// (a parenthesised expression, say) before it can choose, which costs heavily on a cold JVM.
power : atom (CARET exponent | SUPER)? ;

exponent
    : MINUS exponent                                                        # negativeExponent
    | power                                                                 # positiveExponent
    ;

atom
    : number=(INT | FLOAT)                                                  # numberAtom
    | name LPAREN arguments? RPAREN (LBRACK indices RBRACK)?                # callAtom
    | name LBRACK indices RBRACK                                            # indexedAtom
    | name SUB                                                              # subscriptAtom
    | name                                                                  # nameAtom
    | LPAREN expression RPAREN                                              # parenAtom
    | SQRT atom                                                             # sqrtAtom
    | PARTIAL of=ID DIV PARTIAL wrt=ID                                      # derivativeAtom
    | LBRACK left=expression compareOp right=expression RBRACK              # iversonAtom
    ;

name : ID (DOT ID)* ;

arguments : argument (COMMA argument)* ;
argument  : (ID ASSIGN)? expression ;

// A subscript is written as an expression so that a wrong one (x[i·j]) can be told in the user's terms; the
// compiler keeps only affine ones: an index variable or integer, or integers times indices added (x[2i+p−2]).
indices : expression (COMMA expression)* ;

compareOp : LT | LE | GT | GE | EQ | NE ;

// ─── Lexer ───────────────────────────────────────────────────────────────────────────────────────

NETWORK   : 'network' ;
INPUT     : 'input' ;
TARGET    : 'target' ;
PARAM     : 'param' ;
OUTPUT    : 'output' ;
LOSS      : 'loss' ;
NEURON    : 'neuron' ;
LAYER     : 'layer' ;
FN        : 'fn' ;
OPTIMIZER : 'optimizer' ;
STATE     : 'state' ;
TRAIN     : 'train' ;
IMPORT    : 'import' ;
ALIAS     : 'alias' ;
WHERE     : 'where' ;
WITH      : 'with' ;
PARTIAL   : '∂' | 'partial' ;

// Σ with its index. These come before ID so that sum_i (same length as the identifier) is a sum.
SUM_SUB        : 'Σ' SUB_LETTER ;
SUM_UNDERSCORE : ('Σ' | 'sum') '_' ID_START (ID_START | DIGIT)* ;
SUM_OPEN       : ('Σ' | 'sum') '_{' ;
// The reduction max_{p=1}^{2} (max pooling); max(a, b) of two values stays a call.
MAX_OPEN       : 'max_{' ;

ARROW  : '←' | '<-' ;
SQRT   : '√' ;
MUL    : '·' | '⋅' | '×' | '*' ;
DIV    : '/' | '÷' ;
PLUS   : '+' ;
MINUS  : '-' | '−' ;
CARET  : '^' ;
TILDE  : '~' ;
LE     : '≤' | '<=' ;
GE     : '≥' | '>=' ;
NE     : '≠' | '!=' ;
EQ     : '==' ;
LT     : '<' ;
GT     : '>' ;
ASSIGN : '=' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;
COMMA  : ',' ;
DOT    : '.' ;
SEMI   : ';' ;

FLOAT : DIGIT+ '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT | '.' DIGIT+ EXPONENT? ;
INT   : DIGIT+ ;

STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;

ID    : ID_START (ID_START | DIGIT | '_')* ;
SUB   : (SUB_DIGIT | SUB_LETTER)+ ;
SUPER : (SUPER_DIGIT | SUPER_LETTER | '⁻')+ ;

NL            : '\r'? '\n' | '\r' ;
WS            : [ \t\f\u00A0\uFEFF]+ -> skip ;
LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;

// Tokens the parser never sees: the token filter turns them into diagnostics.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;
UNCLOSED_COMMENT    : '/*' (~[*] | '*'+ ~[*/])* '*'* EOF ;
ERROR_CHAR          : . ;

fragment DIGIT    : [0-9] ;
fragment EXPONENT : [eE] [+\-]? DIGIT+ ;
// Latin letters, Latin-1 letters, and Greek letters except Σ (the sum) — ς ϑ ϕ ϵ are folded later.
fragment ID_START : [a-zA-Z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF\u0391-\u03A1\u03A4-\u03A9\u03B1-\u03C9\u03D1\u03D5\u03F5] ;
fragment SUB_DIGIT    : [\u2080-\u2089] ;
fragment SUB_LETTER   : [\u2090-\u2093\u2095-\u209C\u1D62-\u1D65\u2C7C] ;
fragment SUPER_DIGIT  : [\u2070\u00B9\u00B2\u00B3\u2074-\u2079] ;
fragment SUPER_LETTER : [\u2071\u207F\u1D57\u1D4F\u02B2\u1D50] ;
