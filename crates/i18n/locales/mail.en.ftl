# Mail: subjects, bodies and the lines every mail carries (the desk's outbound mail).
